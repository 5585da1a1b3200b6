package io.haulproof.drivers.gps;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * RMC, recommended minimum data: time, status A/V, position, speed (knots), course, date, magnetic
 * variation, and from NMEA 2.3 a mode indicator, from 4.1 a navigational status.
 *
 * @param mode FAA mode indicator (A, D, E, F, M, N, P, R, S), absent before NMEA 2.3
 */
public record Rmc(
    String talker,
    Optional<LocalTime> time,
    boolean valid,
    OptionalDouble lat,
    OptionalDouble lon,
    OptionalDouble speedKnots,
    OptionalDouble courseDeg,
    Optional<LocalDate> date,
    OptionalDouble magneticVariationDeg,
    Optional<Character> mode,
    Optional<Character> navStatus)
    implements NmeaSentence {
  @Override
  public String type() {
    return "RMC";
  }

  @Override
  public Optional<Boolean> fix() {
    return Optional.of(valid && mode.map(m -> m != 'N').orElse(true) && lat.isPresent());
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
