package io.haulproof.agent.runtime;

/** How long the outbox has been non-empty, for {@link UplinkPort.Stats#oldestAgeMs()}. */
final class BacklogClock {
  private volatile long since = -1;

  /** The age in milliseconds given the current {@code depth}; 0 while empty. */
  long ageMs(long depth) {
    long now = System.nanoTime();
    if (depth == 0) {
      since = -1;
    } else if (since < 0) {
      since = now;
    }
    long s = since;
    return s < 0 ? 0 : (now - s) / 1_000_000;
  }
}
