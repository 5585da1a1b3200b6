package io.haulproof.uplink.outbox;

/**
 * The backlog's in-flight accounting: the next index to send, how many sends are outstanding (never
 * more than the window), and the generation that tells a result of the current round of sends from
 * one that was already resent.
 *
 * <p>Confined to the outbox thread, except {@link #resent()}.
 */
final class SendWindow {
  private final int size;
  private long next;
  private long generation;
  private int outstanding;
  private int maxInFlightSeen;
  private volatile long resent;

  /** A window of {@code size} sends, starting at index {@code start}. */
  SendWindow(int size, long start) {
    this.size = size;
    this.next = start;
  }

  /** Whether another entry may be sent now from a log of {@code logSize} entries. */
  boolean hasRoom(long logSize) {
    return outstanding < size && next < logSize;
  }

  /** The index the next send will carry. */
  long next() {
    return next;
  }

  /** The current generation; a result whose generation differs was already resent. */
  long generation() {
    return generation;
  }

  /** Takes the next index for a send. Precondition: {@link #hasRoom}. */
  long take() {
    long index = next++;
    outstanding++;
    maxInFlightSeen = Math.max(maxInFlightSeen, outstanding);
    return index;
  }

  /** Records that one send finished, acknowledged or not. */
  void complete() {
    outstanding--;
  }

  /** Whether a send taken in generation {@code gen} belongs to the current round. */
  boolean isCurrent(long gen) {
    return gen == generation;
  }

  /**
   * Starts a new generation that sends again from {@code cursor}; what was sent beyond it counts as
   * resent.
   */
  void restartFrom(long cursor) {
    generation++;
    if (next > cursor) {
      resent += next - cursor;
    }
    next = cursor;
  }

  /** The most sends that were ever outstanding at once. */
  int maxInFlightSeen() {
    return maxInFlightSeen;
  }

  /** Entries sent again after a failure or restart. */
  long resent() {
    return resent;
  }
}
