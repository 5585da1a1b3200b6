package io.haulproof.drivers.reading;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One GNSS epoch: position, UTC time and the quality figures (GGA quality, satellites used, DOPs,
 * fix mode) needed to judge it. Every field the receiver did not send is empty.
 *
 * @param utcDate date from RMC/ZDA (or gpsd), if sent
 * @param utcTime time of the fix, if sent
 * @param quality GGA fix quality (0 invalid, 1 GPS, 2 DGPS, 4 RTK, 5 float RTK, 6 dead reckoning …)
 * @param speedMps speed over ground in m/s
 * @param courseDeg course over ground, degrees true
 */
public record GpsFix(
    String source,
    Stamp stamp,
    ReadingStatus status,
    Optional<LocalDate> utcDate,
    Optional<LocalTime> utcTime,
    OptionalDouble latitude,
    OptionalDouble longitude,
    FixMode mode,
    OptionalInt quality,
    OptionalInt satellitesUsed,
    OptionalDouble hdop,
    OptionalDouble pdop,
    OptionalDouble vdop,
    OptionalDouble altitudeM,
    OptionalDouble speedMps,
    OptionalDouble courseDeg)
    implements Reading {
  public GpsFix {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(utcDate, "utcDate");
    Objects.requireNonNull(utcTime, "utcTime");
    Objects.requireNonNull(mode, "mode");
    if (latitude.isPresent() != longitude.isPresent()) {
      throw new IllegalArgumentException(
          "latitude and longitude must both be present or both absent");
    }
    if (latitude.isPresent() && Math.abs(latitude.getAsDouble()) > 90) {
      throw new IllegalArgumentException(
          "latitude " + latitude.getAsDouble() + " outside [-90, 90]");
    }
    if (longitude.isPresent() && Math.abs(longitude.getAsDouble()) > 180) {
      throw new IllegalArgumentException(
          "longitude " + longitude.getAsDouble() + " outside [-180, 180]");
    }
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(satellitesUsed, "satellitesUsed");
    Objects.requireNonNull(hdop, "hdop");
    Objects.requireNonNull(pdop, "pdop");
    Objects.requireNonNull(vdop, "vdop");
    Objects.requireNonNull(altitudeM, "altitudeM");
    Objects.requireNonNull(speedMps, "speedMps");
    Objects.requireNonNull(courseDeg, "courseDeg");
  }

  /** True when the fix has a position and the receiver flagged it valid. */
  public boolean hasValidPosition() {
    return status == ReadingStatus.VALID && latitude.isPresent();
  }
}
