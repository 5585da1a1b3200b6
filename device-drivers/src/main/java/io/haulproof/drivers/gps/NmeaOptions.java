package io.haulproof.drivers.gps;

/**
 * Parser options. The defaults are strict: checksum required, at most 82 characters per sentence
 * (NMEA 0183 §5.3).
 *
 * @param allowMissingChecksum accept sentences without {@code *hh} (a present but wrong checksum is
 *     always rejected)
 * @param maxLength longest sentence accepted, from {@code $} to the checksum, CR LF excluded;
 *     high-precision receivers (RTK, Unicore, Skytraq) exceed 82, so integrators may raise it to at
 *     most 128
 */
public record NmeaOptions(boolean allowMissingChecksum, int maxLength) {
  public static final int STANDARD_MAX_LENGTH = 82;
  public static final int HARD_MAX_LENGTH = 128;

  public NmeaOptions {
    if (maxLength < 11 || maxLength > HARD_MAX_LENGTH) {
      throw new IllegalArgumentException(
          "maxLength " + maxLength + " outside 11.." + HARD_MAX_LENGTH);
    }
  }

  public static NmeaOptions strict() {
    return new NmeaOptions(false, STANDARD_MAX_LENGTH);
  }

  public NmeaOptions withAllowMissingChecksum(boolean allow) {
    return new NmeaOptions(allow, maxLength);
  }

  public NmeaOptions withMaxLength(int max) {
    return new NmeaOptions(allowMissingChecksum, max);
  }
}
