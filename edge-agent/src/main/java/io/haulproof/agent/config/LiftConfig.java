package io.haulproof.agent.config;

import io.haulproof.lightchain.entry.TimeSource;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * Correlation windows of the lift assembler.
 *
 * @param tagWindowMs a tag read counts for a lift cycle whose gross weight follows within this time
 * @param cycleTimeoutMs a tag without a completed lift cycle after this time gives an event flagged
 *     "no weight"
 * @param lateTagGraceMs a lift cycle waits this long for a tag that arrives late
 * @param clockJumpThresholdMs wall-clock steps larger than this (against the monotonic clock) are
 *     flagged
 * @param fallbackTimeSource source of wall time when GNSS time is not valid: {@code NTP} or {@code
 *     RTC}
 * @param timeZone zone in which collection days of the allow-list are counted
 */
public record LiftConfig(
    Long tagWindowMs,
    Long cycleTimeoutMs,
    Long lateTagGraceMs,
    Long clockJumpThresholdMs,
    TimeSource fallbackTimeSource,
    String timeZone) {
  public LiftConfig {
    tagWindowMs = Check.range("tagWindowMs", tagWindowMs, 20_000, 100, 600_000);
    cycleTimeoutMs = Check.range("cycleTimeoutMs", cycleTimeoutMs, 30_000, 100, 600_000);
    lateTagGraceMs = Check.range("lateTagGraceMs", lateTagGraceMs, 3_000, 0, 60_000);
    clockJumpThresholdMs =
        Check.range("clockJumpThresholdMs", clockJumpThresholdMs, 2_000, 10, 3_600_000);
    fallbackTimeSource = Check.orDefault(fallbackTimeSource, TimeSource.NTP);
    if (fallbackTimeSource != TimeSource.NTP && fallbackTimeSource != TimeSource.RTC) {
      throw new ConfigException(
          "fallbackTimeSource",
          "must be one of " + List.of("NTP", "RTC") + ", got " + fallbackTimeSource);
    }
    timeZone = Check.orDefault(timeZone, "UTC");
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new ConfigException(
          "timeZone", "is not a time zone id like Europe/Berlin, got \"" + timeZone + "\"");
    }
    if (cycleTimeoutMs < tagWindowMs) {
      throw new ConfigException(
          "cycleTimeoutMs",
          "must be at least tagWindowMs " + tagWindowMs + ", got " + cycleTimeoutMs);
    }
  }

  public static LiftConfig defaults() {
    return new LiftConfig(null, null, null, null, null, null);
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }
}
