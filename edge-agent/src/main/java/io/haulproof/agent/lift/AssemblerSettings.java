package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.TimeSource;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What the lift assembler needs to know about the truck and its windows.
 *
 * @param vehicleId vehicle recorded in events
 * @param tourId tour, may be null
 * @param crewId crew, may be null
 * @param instrument weighing instrument, null when no scale is fitted
 * @param tagWindowMs a tag counts for a lift cycle whose gross follows within this time
 * @param cycleTimeoutMs a tag without a lift cycle after this time is recorded as not weighed
 * @param lateTagGraceMs a lift cycle without a tag waits this long for a late tag
 * @param clockJumpThresholdMs wall-clock steps above this are flagged
 * @param maxFixAgeMs fixes older than this are stale
 * @param fallbackTimeSource source of wall time without GNSS
 * @param zone zone for collection days
 */
public record AssemblerSettings(
    String vehicleId,
    String tourId,
    String crewId,
    Instrument instrument,
    long tagWindowMs,
    long cycleTimeoutMs,
    long lateTagGraceMs,
    long clockJumpThresholdMs,
    long maxFixAgeMs,
    TimeSource fallbackTimeSource,
    ZoneId zone) {
  public AssemblerSettings {
    Objects.requireNonNull(vehicleId, "vehicleId");
    Objects.requireNonNull(fallbackTimeSource, "fallbackTimeSource");
    Objects.requireNonNull(zone, "zone");
    if (fallbackTimeSource != TimeSource.NTP && fallbackTimeSource != TimeSource.RTC) {
      throw new IllegalArgumentException(
          "fallback time source must be NTP or RTC, got " + fallbackTimeSource);
    }
  }

  public boolean hasScale() {
    return instrument != null;
  }
}
