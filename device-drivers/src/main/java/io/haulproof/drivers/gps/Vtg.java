package io.haulproof.drivers.gps;

import java.util.Optional;
import java.util.OptionalDouble;

/** VTG, course and speed over ground. */
public record Vtg(
    String talker,
    OptionalDouble courseTrueDeg,
    OptionalDouble courseMagneticDeg,
    OptionalDouble speedKnots,
    OptionalDouble speedKmh,
    Optional<Character> mode)
    implements NmeaSentence {
  @Override
  public String type() {
    return "VTG";
  }
}
