package io.haulproof.drivers.gps;

/**
 * Parser options. The defaults are strict about integrity (checksum required) and lenient about
 * length: NMEA 0183 §5.3 says 82 characters, but real receivers (u-blox, SiRF, Unicore, Skytraq,
 * RTK) send GGA/RMC sentences of up to ~113, and the checksum, not the length, protects a sentence.
 * The length is only a buffer bound, so the default is {@link #DEFAULT_MAX_LENGTH}.
 *
 * @param allowMissingChecksum accept sentences without {@code *hh} (a present but wrong checksum is
 *     always rejected)
 * @param maxLength longest sentence accepted, from {@code $} to the checksum, CR LF excluded; 11 to
 *     {@link #HARD_MAX_LENGTH} (the framer's buffer); integrators may lower it to the standard 82
 */
public record NmeaOptions(boolean allowMissingChecksum, int maxLength) {
  public static final int STANDARD_MAX_LENGTH = 82;
  public static final int HARD_MAX_LENGTH = 128;
  public static final int DEFAULT_MAX_LENGTH = HARD_MAX_LENGTH;

  public NmeaOptions {
    if (maxLength < 11 || maxLength > HARD_MAX_LENGTH) {
      throw new IllegalArgumentException(
          "maxLength " + maxLength + " outside 11.." + HARD_MAX_LENGTH);
    }
  }

  /** Checksum required, sentences up to {@link #DEFAULT_MAX_LENGTH} characters. */
  public static NmeaOptions strict() {
    return new NmeaOptions(false, DEFAULT_MAX_LENGTH);
  }

  public NmeaOptions withAllowMissingChecksum(boolean allow) {
    return new NmeaOptions(allow, maxLength);
  }

  public NmeaOptions withMaxLength(int max) {
    return new NmeaOptions(allowMissingChecksum, max);
  }
}
