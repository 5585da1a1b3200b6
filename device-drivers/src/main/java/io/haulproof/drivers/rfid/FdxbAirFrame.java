package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.MalformedFrameException;

/**
 * The 128-bit FDX-B air frame of ISO 11785: an 11-bit header (ten 0s and a 1), then 8 code bytes, 2
 * CRC bytes and 3 extension bytes, each sent least significant bit first and followed by a '1'
 * control bit.
 *
 * <p>Bits are given as a {@code boolean[128]} in transmission order. The CRC ({@link Crc16#fdxb})
 * covers the 8 code bytes.
 */
public final class FdxbAirFrame {
  public static final int BITS = 128;

  private FdxbAirFrame() {}

  /**
   * Decodes and checks a frame; throws with reason {@code header}, {@code control}, {@code
   * checksum} or {@code extension} (trailer bytes set although the code's data-block flag says
   * there is no data block: such a frame is not conformant, and accepting it would let two
   * different frames stand for one tag).
   */
  public static Iso11784Code decode(boolean[] bits) {
    if (bits.length != BITS) {
      throw new MalformedFrameException(
          "length", "FDX-B frame of " + bits.length + " bits, want " + BITS);
    }
    for (int i = 0; i < 10; i++) {
      if (bits[i]) {
        throw new MalformedFrameException(
            "header", "header bit " + i + " is 1, want ten 0s then 1");
      }
    }
    if (!bits[10]) {
      throw new MalformedFrameException("header", "header bit 10 is 0, want 1");
    }
    byte[] bytes = new byte[13];
    int p = 11;
    for (int k = 0; k < 13; k++) {
      int v = 0;
      for (int b = 0; b < 8; b++) {
        if (bits[p++]) {
          v |= 1 << b;
        }
      }
      if (!bits[p++]) {
        throw new MalformedFrameException(
            "control", "control bit after byte " + k + " is 0, want 1");
      }
      bytes[k] = (byte) v;
    }
    int want = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
    int got = Crc16.fdxb(bytes, 0, 8);
    if (got != want) {
      throw new MalformedFrameException(
          "checksum",
          "FDX-B CRC computed " + HexDigits.lower4(got) + ", frame says " + HexDigits.lower4(want));
    }
    long raw = 0;
    for (int k = 7; k >= 0; k--) {
      raw = raw << 8 | (bytes[k] & 0xFF);
    }
    Iso11784Code code = new Iso11784Code(raw);
    if (!code.dataBlock() && (bytes[10] | bytes[11] | bytes[12]) != 0) {
      throw new MalformedFrameException(
          "extension", "trailer bytes set but the code has no data-block flag");
    }
    return code;
  }

  /** Encodes a code (extension bytes zero) into its air frame; for tests and simulators. */
  public static boolean[] encode(Iso11784Code code) {
    byte[] bytes = new byte[13];
    for (int k = 0; k < 8; k++) {
      bytes[k] = (byte) (code.raw() >>> (8 * k));
    }
    int crc = Crc16.fdxb(bytes, 0, 8);
    bytes[8] = (byte) crc;
    bytes[9] = (byte) (crc >>> 8);
    boolean[] bits = new boolean[BITS];
    bits[10] = true;
    int p = 11;
    for (int k = 0; k < 13; k++) {
      for (int b = 0; b < 8; b++) {
        bits[p++] = ((bytes[k] >>> b) & 1) != 0;
      }
      bits[p++] = true;
    }
    return bits;
  }
}
