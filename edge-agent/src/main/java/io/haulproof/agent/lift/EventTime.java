package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.TimeSource;
import java.time.Instant;
import java.util.Objects;

/**
 * The moment of collection with its source and quality (DOMAIN.md section 2).
 *
 * @param utc wall time of the event
 * @param source where it came from
 * @param quality how far to trust it
 * @param referenceAgeMs age of the reference (the GNSS fix) when the time was derived, 0 for the
 *     system clock
 */
public record EventTime(Instant utc, TimeSource source, TimeQuality quality, long referenceAgeMs) {
  public EventTime {
    Objects.requireNonNull(utc, "utc");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(quality, "quality");
  }
}
