package io.haulproof.uplink.mqtt;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter: the n-th delay is uniform in [d/2, d] with d = min·2ⁿ capped at
 * max.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final Random random;
  private int attempts;

  public Backoff(Duration min, Duration max, Random random) {
    if (min.isZero() || min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("bad backoff " + min + ".." + max);
    }
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The next delay; each call doubles the ceiling until max. */
  public synchronized Duration next() {
    long ceiling = attempts >= 30 ? maxMillis : Math.min(maxMillis, minMillis << attempts);
    attempts++;
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half + 1)));
  }

  /** Back to the shortest delay, after a connection succeeded. */
  public synchronized void reset() {
    attempts = 0;
  }

  public synchronized int attempts() {
    return attempts;
  }
}
