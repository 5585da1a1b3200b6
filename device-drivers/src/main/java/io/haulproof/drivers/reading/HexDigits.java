package io.haulproof.drivers.reading;

import java.util.HexFormat;

/**
 * Hex digits for the details of {@link MalformedFrameException}s on a parser's reject path, without
 * {@code String.format}: a noisy line can reject a candidate per byte, and a formatter costs about
 * 1 KiB of garbage each time.
 */
public final class HexDigits {
  private static final HexFormat LOWER = HexFormat.of();
  private static final HexFormat UPPER = HexFormat.of().withUpperCase();

  private HexDigits() {}

  /** {@code String.format("%02x", v)} for {@code v >= 0}. */
  public static String lower2(int v) {
    return v >= 0 && v <= 0xFF ? LOWER.toHexDigits((byte) v) : Integer.toHexString(v);
  }

  /** {@code String.format("%02X", v)} for {@code v >= 0}. */
  public static String upper2(int v) {
    return v >= 0 && v <= 0xFF
        ? UPPER.toHexDigits((byte) v)
        : Integer.toHexString(v).toUpperCase(java.util.Locale.ROOT);
  }

  /** {@code String.format("%04x", v)} for {@code v >= 0}. */
  public static String lower4(int v) {
    return v >= 0 && v <= 0xFFFF ? LOWER.toHexDigits((short) v) : Integer.toHexString(v);
  }
}
