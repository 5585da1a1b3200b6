package io.haulproof.drivers.gps;

import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalDouble;

/** GLL, geographic position: lat, lon, time, status A/V and (NMEA 2.3) a mode indicator. */
public record Gll(
    String talker,
    OptionalDouble lat,
    OptionalDouble lon,
    Optional<LocalTime> time,
    Optional<Boolean> valid,
    Optional<Character> mode)
    implements NmeaSentence {
  @Override
  public String type() {
    return "GLL";
  }

  @Override
  public Optional<Boolean> fix() {
    return valid.map(v -> v && mode.map(m -> m != 'N').orElse(true) && lat.isPresent());
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
