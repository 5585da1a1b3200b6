package io.haulproof.uplink.outbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Urgent messages (status, management replies, checkpoints) waiting to go ahead of the backlog: at
 * most {@value #WINDOW} in flight, and a failed one goes back to the front.
 *
 * <p>Confined to the outbox thread.
 */
final class UrgentQueue {
  static final int WINDOW = 4;

  /** One urgent message; {@link #result} completes when it was acknowledged. */
  static final class Urgent {
    final String what;
    final int bytes;
    final Supplier<CompletableFuture<Void>> send;
    final CompletableFuture<Void> result = new CompletableFuture<>();

    Urgent(String what, int bytes, Supplier<CompletableFuture<Void>> send) {
      this.what = what;
      this.bytes = bytes;
      this.send = send;
    }
  }

  private final Deque<Urgent> queue = new ArrayDeque<>();
  private int inFlight;

  void add(Urgent u) {
    queue.addLast(u);
  }

  /** Takes the next message to send, or null if none waits or the window is full. */
  Urgent poll() {
    if (queue.isEmpty() || inFlight >= WINDOW) {
      return null;
    }
    inFlight++;
    return queue.pollFirst();
  }

  /** Whether nothing urgent waits or is in flight, so the backlog may send. */
  boolean idle() {
    return queue.isEmpty() && inFlight == 0;
  }

  /**
   * Records the result of sending {@code u}: completes its future on success, or puts it back at
   * the front to be resent on failure ({@code ex} not null).
   */
  void done(Urgent u, Throwable ex) {
    inFlight--;
    if (ex == null) {
      u.result.complete(null);
    } else {
      queue.addFirst(u);
    }
  }
}
