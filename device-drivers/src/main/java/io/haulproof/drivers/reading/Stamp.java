package io.haulproof.drivers.reading;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The host's receive time of a reading: monotonic nanoseconds (for ordering and intervals) and wall
 * time (for humans, which may jump).
 */
public record Stamp(long monotonicNanos, Instant wall) {
  public Stamp {
    Objects.requireNonNull(wall, "wall");
  }

  /** Now, from {@link System#nanoTime()} and the given wall clock. */
  public static Stamp now(Clock clock) {
    return new Stamp(System.nanoTime(), clock.instant());
  }

  /** Now, from {@link System#nanoTime()} and the system UTC clock. */
  public static Stamp now() {
    return now(Clock.systemUTC());
  }
}
