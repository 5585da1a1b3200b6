package io.haulproof.uplink.mqtt;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Admits QoS 1 and 2 publishes up to the broker's Receive Maximum (MQTT 5 §3.2.2.3.3) and queues
 * the rest in order. Paho refuses a publish beyond that window at once ("Too many publishes in
 * progress") instead of waiting; callers that took the refusal for a lost publish fell back on
 * their resend timers (the fleet benchmark ran at a tenth of its rate) or, for a one-off message
 * such as an enrollment, lost it. Once {@link #close closed}, what still waits fails with the
 * cause.
 */
final class PublishWindow {
  private record Waiting(Supplier<CompletableFuture<Void>> send, CompletableFuture<Void> result) {}

  private final int limit;
  private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
  private int inFlight;
  private Throwable closedBy;

  /**
   * @param limit publishes in flight at most (the broker's Receive Maximum, 1..65535)
   */
  PublishWindow(int limit) {
    if (limit < 1 || limit > 65535) {
      throw new IllegalArgumentException("receive maximum " + limit + ", want 1..65535");
    }
    this.limit = limit;
  }

  /** Starts {@code send} now if the window has room, else once an earlier publish completes. */
  CompletableFuture<Void> submit(Supplier<CompletableFuture<Void>> send) {
    Waiting w = new Waiting(send, new CompletableFuture<>());
    synchronized (this) {
      if (closedBy != null) {
        return CompletableFuture.failedFuture(closedBy);
      }
      if (inFlight >= limit) {
        queue.add(w);
        return w.result();
      }
      inFlight++;
    }
    start(w);
    return w.result();
  }

  /** Publishes in flight at most. */
  int limit() {
    return limit;
  }

  /** Publishes in flight now plus those waiting for room. */
  synchronized int pending() {
    return inFlight + queue.size();
  }

  /** Fails every waiting publish with {@code cause}, and every later one. */
  void close(Throwable cause) {
    ArrayDeque<Waiting> failed;
    synchronized (this) {
      if (closedBy == null) {
        closedBy = cause;
      }
      failed = new ArrayDeque<>(queue);
      queue.clear();
    }
    failed.forEach(w -> w.result().completeExceptionally(cause));
  }

  private void start(Waiting w) {
    CompletableFuture<Void> f;
    try {
      f = w.send().get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (v, ex) -> {
          Waiting next;
          synchronized (this) {
            inFlight--;
            next = queue.poll();
            if (next != null) {
              inFlight++;
            }
          }
          if (ex != null) {
            w.result().completeExceptionally(ex);
          } else {
            w.result().complete(null);
          }
          if (next != null) {
            start(next);
          }
        });
  }
}
