package io.haulproof.drivers.gps;

import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * GGA, fix data: time, position, quality (0 invalid, 1 GPS, 2 DGPS, 3 PPS, 4 RTK, 5 float RTK, 6
 * dead reckoning, 7 manual, 8 simulator), satellites used, HDOP, altitude (MSL) and geoid
 * separation.
 */
public record Gga(
    String talker,
    Optional<LocalTime> time,
    OptionalDouble lat,
    OptionalDouble lon,
    OptionalInt quality,
    OptionalInt satellitesUsed,
    OptionalDouble hdop,
    OptionalDouble altitudeM,
    OptionalDouble geoidSeparationM)
    implements NmeaSentence {
  @Override
  public String type() {
    return "GGA";
  }

  @Override
  public Optional<Boolean> fix() {
    if (quality.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(quality.getAsInt() > 0 && lat.isPresent());
  }

  @Override
  public OptionalDouble latitude() {
    return lat;
  }

  @Override
  public OptionalDouble longitude() {
    return lon;
  }

  @Override
  public Optional<LocalTime> utc() {
    return time;
  }
}
