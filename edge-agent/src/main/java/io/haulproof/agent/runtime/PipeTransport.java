package io.haulproof.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An in-memory byte pipe: the demo's route simulator (or a serial port's reader thread) writes
 * device bytes at one end, a sensor source reads them at the other exactly as it would read a tty.
 */
public final class PipeTransport implements Transport {
  private final String name;
  private final Deque<byte[]> chunks = new ArrayDeque<>();
  private int offset;
  private int available;
  private boolean ended;

  public PipeTransport(String name) {
    this.name = name;
  }

  /** Writes device bytes (the simulator's side). */
  public synchronized void write(byte[] data) {
    if (ended) {
      throw new IllegalStateException("pipe " + name + " has ended");
    }
    chunks.addLast(data.clone());
    available += data.length;
    notifyAll();
  }

  /** No more bytes will come; the reader sees end of input once it has read everything. */
  public synchronized void end() {
    ended = true;
    notifyAll();
  }

  @Override
  public String describe() {
    return "pipe:" + name;
  }

  @Override
  public Link open() {
    return new Link(new In(), OutputStream.nullOutputStream());
  }

  /** A link reading this pipe and writing to {@code out}. */
  Link open(OutputStream out) {
    return new Link(new In(), out);
  }

  private synchronized int read(byte[] b, int off, int len) throws InterruptedException {
    while (available == 0 && !ended) {
      wait();
    }
    if (available == 0) {
      return -1;
    }
    int n = 0;
    while (n < len && !chunks.isEmpty()) {
      byte[] head = chunks.peekFirst();
      int take = Math.min(len - n, head.length - offset);
      System.arraycopy(head, offset, b, off + n, take);
      n += take;
      offset += take;
      if (offset == head.length) {
        chunks.removeFirst();
        offset = 0;
      }
    }
    available -= n;
    return n;
  }

  private synchronized int available() {
    return available;
  }

  private synchronized boolean drainedAndEnded() {
    return ended && available == 0;
  }

  private final class In extends InputStream implements StreamSource.EndAware {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return PipeTransport.this.read(b, off, len);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public int available() {
      return PipeTransport.this.available();
    }

    @Override
    public boolean ended() {
      return drainedAndEnded();
    }
  }
}
