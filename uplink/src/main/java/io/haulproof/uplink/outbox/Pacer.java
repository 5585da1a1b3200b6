package io.haulproof.uplink.outbox;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds the backlog to the bandwidth limit: a send takes its bytes from the {@link TokenBucket}, or
 * the backlog waits and one pump is scheduled for when the bytes are there. Urgent messages are
 * charged without waiting, so the backlog pays for them.
 *
 * <p>Confined to the outbox thread.
 */
final class Pacer {
  private final TokenBucket bucket;
  private final ScheduledExecutorService exec;
  private final Runnable pump;
  private boolean waiting;

  /** Paces to {@code bytesPerSecond} (0 for no limit); {@code pump} runs when a wait ends. */
  Pacer(long bytesPerSecond, ScheduledExecutorService exec, Runnable pump) {
    this.bucket = new TokenBucket(bytesPerSecond, Math.max(bytesPerSecond / 4, 64 * 1024));
    this.exec = exec;
    this.pump = pump;
  }

  /** Whether the backlog is waiting for bytes. */
  boolean waiting() {
    return waiting;
  }

  /** Charges an urgent message of {@code bytes}, even into debt. */
  void charge(int bytes) {
    bucket.force(bytes);
  }

  /**
   * Takes {@code bytes} and returns true, or takes nothing, schedules the pump for when they will
   * be there, and returns false.
   */
  boolean tryTake(int bytes) {
    long wait = bucket.tryTake(bytes);
    if (wait <= 0) {
      return true;
    }
    waiting = true;
    exec.schedule(
        () -> {
          waiting = false;
          pump.run();
        },
        wait,
        TimeUnit.NANOSECONDS);
    return false;
  }
}
