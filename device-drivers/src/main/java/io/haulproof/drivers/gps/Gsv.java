package io.haulproof.drivers.gps;

import java.util.OptionalInt;

/**
 * GSV, satellites in view; tolerated but not used for fixes. Incomplete satellite blocks (as some
 * receivers send) are accepted; only the header counts are decoded.
 */
public record Gsv(
    String talker, OptionalInt messages, OptionalInt messageNumber, OptionalInt satellitesInView)
    implements NmeaSentence {
  @Override
  public String type() {
    return "GSV";
  }
}
