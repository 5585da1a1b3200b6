package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.TagRead;
import io.haulproof.drivers.reading.TirisCode;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * TI micro-reader binary protocol: {@code 01 len cmd data… BCC}, {@code len} counting {@code cmd}
 * and data, BCC the XOR of every byte after the start mark. Framed by the length field.
 *
 * <p>A read reply carries a status byte ({@code 0C} read-only, {@code 0D} read/write, {@code 0E}
 * multipage) and the 8-byte id least significant byte first; other frames (acknowledgements,
 * commands) are validated and counted only.
 */
public final class TiMicroReader extends ByteFramer {
  public static final int START = 0x01;
  private static final int MAX_LEN = 32;

  private final String source;
  private final Supplier<Stamp> clock;
  private final TagSink sink;

  public TiMicroReader(String source, Supplier<Stamp> clock, TagSink sink, DriverMetrics metrics) {
    super(MAX_LEN + 3, metrics);
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** The BCC of {@code len cmd data}: XOR of every byte after the start mark. */
  public static int bcc(byte[] frame, int from, int to) {
    int x = 0;
    for (int i = from; i < to; i++) {
      x ^= frame[i] & 0xFF;
    }
    return x;
  }

  @Override
  protected int frameLength(byte[] buf, int start, int available) {
    if ((buf[start] & 0xFF) != START) {
      return NOT_A_FRAME;
    }
    if (available < 2) {
      return NEED_MORE;
    }
    int len = buf[start + 1] & 0xFF;
    if (len < 1 || len > MAX_LEN) {
      throw new MalformedFrameException("length", "length byte " + len + " outside 1.." + MAX_LEN);
    }
    return len + 3;
  }

  @Override
  protected void onFrame(byte[] f) {
    int want = f[f.length - 1] & 0xFF;
    int got = bcc(f, 1, f.length - 1);
    if (got != want) {
      throw new MalformedFrameException(
          "checksum",
          "BCC computed " + HexDigits.lower2(got) + ", frame says " + HexDigits.lower2(want));
    }
    int status = f[2] & 0xFF;
    int dataLen = (f[1] & 0xFF) - 1;
    if (dataLen == 8 && status >= 0x0C && status <= 0x0E) {
      long raw = 0;
      for (int i = 7; i >= 0; i--) {
        raw = raw << 8 | (f[3 + i] & 0xFF);
      }
      char type = "RWM".charAt(status - 0x0C);
      sink.accept(
          TagRead.single(
              source,
              clock.get(),
              new TirisCode(type, (int) (raw >>> 52), raw & TirisCode.MAX_ID),
              OptionalInt.empty(),
              Optional.empty()));
    }
  }
}
