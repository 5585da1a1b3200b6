package io.haulproof.uplink.outbox;

/**
 * A byte-rate limiter: {@code bytesPerSecond} refill, bursts up to {@code burstBytes}. A rate of 0
 * or less means no limit. Not thread-safe; the outbox uses it from its one thread.
 */
public final class TokenBucket {
  private final long rate;
  private final long burst;
  private double tokens;
  private long last;

  public TokenBucket(long bytesPerSecond, long burstBytes) {
    this.rate = bytesPerSecond;
    this.burst = Math.max(burstBytes, 1);
    this.tokens = this.burst;
    this.last = System.nanoTime();
  }

  public boolean unlimited() {
    return rate <= 0;
  }

  /**
   * Takes {@code bytes} if available and returns 0; otherwise takes nothing and returns the
   * nanoseconds to wait.
   */
  public long tryTake(int bytes) {
    if (unlimited()) {
      return 0;
    }
    refill();
    double need = Math.min(bytes, burst);
    if (tokens >= need) {
      tokens -= bytes;
      return 0;
    }
    return (long) Math.ceil((need - tokens) * 1e9 / rate);
  }

  /**
   * Takes {@code bytes} even if that puts the bucket into debt (urgent traffic goes first, the
   * backlog pays).
   */
  public void force(int bytes) {
    if (!unlimited()) {
      refill();
      tokens -= bytes;
    }
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * rate / 1e9);
    last = now;
  }
}
