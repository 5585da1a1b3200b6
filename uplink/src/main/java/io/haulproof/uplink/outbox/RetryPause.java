package io.haulproof.uplink.outbox;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pause after a failed send: nothing is sent until {@code retryDelay} has passed or the
 * connection came back ({@link #clear()}), whichever is first.
 *
 * <p>Confined to the outbox thread.
 */
final class RetryPause {
  private final ScheduledExecutorService exec;
  private final Duration retryDelay;
  private final Runnable retry;
  private boolean paused;

  /** {@code retry} runs when a pause ends by its delay, not when it was cleared before. */
  RetryPause(ScheduledExecutorService exec, Duration retryDelay, Runnable retry) {
    this.exec = exec;
    this.retryDelay = retryDelay;
    this.retry = retry;
  }

  boolean paused() {
    return paused;
  }

  /** Pauses sending unless already paused, and schedules the retry. */
  void pause() {
    if (paused) {
      return;
    }
    paused = true;
    exec.schedule(
        () -> {
          if (paused) {
            paused = false;
            retry.run();
          }
        },
        retryDelay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Ends a pause early, without the retry. */
  void clear() {
    paused = false;
  }
}
