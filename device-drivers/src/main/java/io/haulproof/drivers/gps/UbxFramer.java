package io.haulproof.drivers.gps;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.lightchain.bytes.Bytes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Frames and validates u-blox UBX messages: {@code B5 62 class id len(LE16) payload CK_A CK_B},
 * with the 8-bit Fletcher checksum over class through payload (u-blox protocol specification, "UBX
 * checksum"). Framed by length.
 */
public final class UbxFramer extends ByteFramer {
  /** One validated UBX message. */
  public record UbxFrame(int messageClass, int messageId, Bytes payload) {}

  public static final int MAX_PAYLOAD = 1024;

  private final Consumer<UbxFrame> sink;

  public UbxFramer(Consumer<UbxFrame> sink, DriverMetrics metrics) {
    super(MAX_PAYLOAD + 8, metrics);
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** The two checksum bytes over {@code data[from..to)}, as {@code CK_A | CK_B << 8}. */
  public static int checksum(byte[] data, int from, int to) {
    int a = 0;
    int b = 0;
    for (int i = from; i < to; i++) {
      a = (a + (data[i] & 0xFF)) & 0xFF;
      b = (b + a) & 0xFF;
    }
    return a | b << 8;
  }

  /** Builds a frame. */
  public static byte[] encode(int cls, int id, byte[] payload) {
    byte[] f = new byte[payload.length + 8];
    f[0] = (byte) 0xB5;
    f[1] = 0x62;
    f[2] = (byte) cls;
    f[3] = (byte) id;
    f[4] = (byte) payload.length;
    f[5] = (byte) (payload.length >> 8);
    System.arraycopy(payload, 0, f, 6, payload.length);
    int ck = checksum(f, 2, f.length - 2);
    f[f.length - 2] = (byte) ck;
    f[f.length - 1] = (byte) (ck >> 8);
    return f;
  }

  @Override
  protected int frameLength(byte[] buf, int start, int available) {
    if ((buf[start] & 0xFF) != 0xB5) {
      return NOT_A_FRAME;
    }
    if (available < 2) {
      return NEED_MORE;
    }
    if (buf[start + 1] != 0x62) {
      return NOT_A_FRAME;
    }
    if (available < 6) {
      return NEED_MORE;
    }
    int len = (buf[start + 4] & 0xFF) | (buf[start + 5] & 0xFF) << 8;
    if (len > MAX_PAYLOAD) {
      throw new MalformedFrameException(
          "length", "UBX payload length " + len + ", max " + MAX_PAYLOAD);
    }
    return len + 8;
  }

  @Override
  protected void onFrame(byte[] f) {
    int want = (f[f.length - 2] & 0xFF) | (f[f.length - 1] & 0xFF) << 8;
    int got = checksum(f, 2, f.length - 2);
    if (got != want) {
      throw new MalformedFrameException(
          "checksum",
          "UBX CK computed " + HexDigits.lower4(got) + ", frame says " + HexDigits.lower4(want));
    }
    sink.accept(new UbxFrame(f[2] & 0xFF, f[3] & 0xFF, Bytes.of(f, 6, f.length - 8)));
  }
}
