package io.haulproof.agent.runtime;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A sensor source fed by the test through a queue; its loop blocks on the queue like a serial read
 * would.
 */
final class ScriptedSource implements SensorSource {
  private static final Consumer<SensorSink> END = s -> {};
  private final String name;
  private final BlockingQueue<Consumer<SensorSink>> queue = new LinkedBlockingQueue<>();
  volatile boolean failOpen;

  ScriptedSource(String name) {
    this.name = name;
  }

  void emit(Consumer<SensorSink> action) {
    queue.add(action);
  }

  boolean queueEmpty() {
    return queue.isEmpty();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open() throws java.io.IOException {
    if (failOpen) {
      throw new java.io.IOException("no such port /dev/ttyUSB9");
    }
  }

  @Override
  public void run(SensorSink sink) throws InterruptedException {
    while (true) {
      Consumer<SensorSink> a = queue.take();
      if (a == END) {
        return;
      }
      a.accept(sink);
    }
  }

  @Override
  public void close() {
    queue.add(END);
  }
}
