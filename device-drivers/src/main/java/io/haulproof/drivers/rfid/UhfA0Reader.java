package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.EpcCode;
import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.TagRead;
import io.haulproof.lightchain.bytes.Bytes;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The "A0" serial protocol of R2000-class UHF EPC Gen2 readers: {@code A0 len addr cmd data…
 * check}, {@code len} counting the bytes after it (check included), check the two's complement of
 * the sum of all preceding bytes. Framed by the length field, since {@code A0} also occurs in
 * payloads.
 *
 * <p>Real-time inventory replies (cmd {@code 89}, {@code 8A}, {@code 8B}) with data {@code freqAnt
 * PC(2) EPC RSSI} become tag reads (EPC length from the PC word, RSSI as the reader sends it,
 * antenna {@code ant1..ant4}); other replies are validated and counted only.
 */
public final class UhfA0Reader extends ByteFramer {
  public static final int HEAD = 0xA0;

  private final String source;
  private final Supplier<Stamp> clock;
  private final TagSink sink;

  public UhfA0Reader(String source, Supplier<Stamp> clock, TagSink sink, DriverMetrics metrics) {
    super(2 + 255, metrics);
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Two's complement of the byte sum of {@code data[from..to)}. */
  public static int check(byte[] data, int from, int to) {
    int sum = 0;
    for (int i = from; i < to; i++) {
      sum += data[i] & 0xFF;
    }
    return (-sum) & 0xFF;
  }

  @Override
  protected int frameLength(byte[] buf, int start, int available) {
    if ((buf[start] & 0xFF) != HEAD) {
      return NOT_A_FRAME;
    }
    if (available < 2) {
      return NEED_MORE;
    }
    int len = buf[start + 1] & 0xFF;
    if (len < 3) {
      throw new MalformedFrameException("length", "length byte " + len + ", want at least 3");
    }
    return len + 2;
  }

  @Override
  protected void onFrame(byte[] f) {
    int want = f[f.length - 1] & 0xFF;
    int got = check(f, 0, f.length - 1);
    if (got != want) {
      throw new MalformedFrameException(
          "checksum",
          "check computed " + HexDigits.lower2(got) + ", frame says " + HexDigits.lower2(want));
    }
    int cmd = f[3] & 0xFF;
    int dataLen = f.length - 5;
    if ((cmd == 0x89 || cmd == 0x8A || cmd == 0x8B) && dataLen >= 4) {
      int pc = (f[5] & 0xFF) << 8 | (f[6] & 0xFF);
      int epcLen = (pc >>> 11) * 2;
      if (epcLen == 0 || dataLen != 1 + 2 + epcLen + 1) {
        throw new MalformedFrameException(
            "field",
            "inventory data of "
                + dataLen
                + " bytes, PC says EPC of "
                + epcLen
                + " so want "
                + (4 + epcLen));
      }
      Bytes epc = Bytes.of(f, 7, epcLen);
      int rssi = f[7 + epcLen] & 0xFF;
      String antenna = "ant" + ((f[4] & 0x03) + 1);
      sink.accept(
          TagRead.single(
              source, clock.get(), new EpcCode(epc), OptionalInt.of(rssi), Optional.of(antenna)));
    }
  }
}
