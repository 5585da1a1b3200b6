package io.haulproof.drivers.gps;

import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalDouble;

/** One decoded NMEA 0183 sentence; the sealed set of types the parser understands. */
public sealed interface NmeaSentence permits Rmc, Gga, Vtg, Gsa, Gll, Zda, Gsv {
  /** Talker id, e.g. {@code GP}, {@code GN}, {@code GL}, {@code GA}, {@code GB}, {@code BD}. */
  String talker();

  /** Sentence type, e.g. {@code RMC}. */
  String type();

  /** Whether the sentence itself says there is a valid fix; empty when it says nothing about it. */
  default Optional<Boolean> fix() {
    return Optional.empty();
  }

  /** Latitude in decimal degrees (north positive), when the sentence carries a position. */
  default OptionalDouble latitude() {
    return OptionalDouble.empty();
  }

  /** Longitude in decimal degrees (east positive), when the sentence carries a position. */
  default OptionalDouble longitude() {
    return OptionalDouble.empty();
  }

  /** UTC time of day, when the sentence carries one. */
  default Optional<LocalTime> utc() {
    return Optional.empty();
  }
}
