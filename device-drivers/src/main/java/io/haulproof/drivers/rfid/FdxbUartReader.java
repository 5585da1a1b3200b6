package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.TagRead;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The 30-byte frame of common FDX-B UART reader modules (9600 8N1): {@code 02 | 10 hex id digits |
 * 4 hex country digits | data-block flag | animal flag | 4 reserved | 6 extension | XOR | ~XOR |
 * 03}, digit groups least significant digit first, XOR over bytes 1–26.
 */
public final class FdxbUartReader extends ByteFramer {
  public static final int FRAME = 30;

  private final String source;
  private final Supplier<Stamp> clock;
  private final TagSink sink;

  public FdxbUartReader(String source, Supplier<Stamp> clock, TagSink sink, DriverMetrics metrics) {
    super(FRAME, metrics);
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  protected int frameLength(byte[] buf, int start, int available) {
    return buf[start] == 0x02 ? FRAME : NOT_A_FRAME;
  }

  @Override
  protected void onFrame(byte[] f) {
    sink.accept(
        TagRead.single(source, clock.get(), decode(f), OptionalInt.empty(), Optional.empty()));
  }

  /** Validates one 30-byte frame and returns its code. */
  public static Iso11784Code decode(byte[] f) {
    if (f.length != FRAME || f[0] != 0x02 || f[29] != 0x03) {
      throw new MalformedFrameException("framing", "want 30 bytes from 02 to 03");
    }
    int x = 0;
    for (int i = 1; i <= 26; i++) {
      x ^= f[i] & 0xFF;
    }
    if ((f[27] & 0xFF) != x || (f[28] & 0xFF) != (~x & 0xFF)) {
      throw new MalformedFrameException(
          "checksum",
          "XOR computed "
              + HexDigits.lower2(x)
              + "/"
              + HexDigits.lower2(~x & 0xFF)
              + ", frame says "
              + HexDigits.lower2(f[27] & 0xFF)
              + "/"
              + HexDigits.lower2(f[28] & 0xFF));
    }
    long id = hexLsbFirst(f, 1, 10);
    long country = hexLsbFirst(f, 11, 4);
    hexLsbFirst(f, 17, 4);
    hexLsbFirst(f, 21, 6);
    boolean dataBlock = flag(f, 15);
    boolean animal = flag(f, 16);
    if (id > Iso11784Code.MAX_NATIONAL_ID || country > 1023) {
      throw new MalformedFrameException(
          "range",
          "id "
              + id
              + " (max "
              + Iso11784Code.MAX_NATIONAL_ID
              + ") or country "
              + country
              + " (max 1023)");
    }
    return Iso11784Code.of((int) country, id, animal, dataBlock);
  }

  private static boolean flag(byte[] f, int i) {
    if (f[i] != '0' && f[i] != '1') {
      throw new MalformedFrameException(
          "field", "flag byte " + i + " is " + (f[i] & 0xFF) + ", want '0' or '1'");
    }
    return f[i] == '1';
  }

  private static long hexLsbFirst(byte[] f, int from, int digits) {
    long v = 0;
    for (int i = from + digits - 1; i >= from; i--) {
      int d = Character.digit((char) (f[i] & 0xFF), 16);
      if (d < 0 || (f[i] & 0x80) != 0) {
        throw new MalformedFrameException(
            "field", "byte " + i + " is " + (f[i] & 0xFF) + ", want an ASCII hex digit");
      }
      v = v << 4 | d;
    }
    return v;
  }
}
