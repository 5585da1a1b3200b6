package io.haulproof.drivers.gps;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * GSA, DOP and active satellites: selection mode (M/A), fix type (1 none, 2 2D, 3 3D), up to 12
 * satellite ids used, PDOP, HDOP, VDOP and (NMEA 4.1) the GNSS system id.
 */
public record Gsa(
    String talker,
    Optional<Character> selection,
    int fixType,
    List<Integer> satellites,
    OptionalDouble pdop,
    OptionalDouble hdop,
    OptionalDouble vdop)
    implements NmeaSentence {
  public Gsa {
    satellites = List.copyOf(satellites);
  }

  @Override
  public String type() {
    return "GSA";
  }

  @Override
  public Optional<Boolean> fix() {
    return Optional.of(fixType >= 2);
  }
}
