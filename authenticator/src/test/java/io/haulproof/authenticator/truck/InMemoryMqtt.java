package io.haulproof.authenticator.truck;

import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSession;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.MqttTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An in-memory {@link MqttTransport} for unit tests of what sits on a {@code ConnectionSupervisor}:
 * it keeps every message published, and {@link #deliver} hands a message to the subscriber as the
 * broker would (anyone could have published it).
 */
final class InMemoryMqtt implements MqttTransport {
  private final List<MqttMessage> published = new CopyOnWriteArrayList<>();
  private volatile Listener listener;

  @Override
  public PendingConnect connect(MqttSettings settings, Listener l) {
    this.listener = l;
    MqttSession s =
        new MqttSession() {
          private volatile boolean open = true;

          @Override
          public CompletableFuture<Void> publish(MqttMessage message) {
            published.add(message);
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletableFuture<Void> subscribe(String filter, int qos) {
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public boolean isConnected() {
            return open;
          }

          @Override
          public void close() {
            open = false;
          }
        };
    return new PendingConnect() {
      @Override
      public CompletableFuture<MqttSession> session() {
        return CompletableFuture.completedFuture(s);
      }

      @Override
      public void abandon() {
        s.close();
      }
    };
  }

  /** Delivers {@code m} to the connected client and waits until it was handled (acked). */
  void deliver(MqttMessage m) throws Exception {
    listener.onMessage(m).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Messages published so far on topics {@code topic} accepts. */
  List<MqttMessage> published(Predicate<String> topic) {
    return published.stream().filter(m -> topic.test(m.topic())).toList();
  }
}
