package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Mettler-Toledo continuous output: {@code STX SWA SWB SWC W×6 T×6 CR [CHK]}, CHK = {@code (-Σ(c &
 * 0x7F)) & 0x7F} over STX…CR.
 *
 * <p>Lenient where vendors differ (bit 7 parity is masked off, leading blanks in the digit fields,
 * SWC ignored); strict about what billing needs: the decimal-point code (SWA bits 0–2), the
 * increment (bits 3–4, x1/x2/x5, and the last digit must fit it), net (SWB bit 0), sign (bit 1),
 * out of range (bit 2), motion (bit 3) and unit (bit 4 kg, else lb). Framed by length (17 or 18
 * bytes), because the checksum byte can be STX.
 */
public final class ToledoContinuousReader extends ByteFramer {
  public static final int STX = 0x02;
  public static final int CR = 0x0D;

  private final String source;
  private final boolean checksum;
  private final Supplier<Stamp> clock;
  private final WeightSink sink;

  /**
   * @param checksum whether the indicator is configured to append CHK (then it is required)
   */
  public ToledoContinuousReader(
      String source,
      boolean checksum,
      Supplier<Stamp> clock,
      WeightSink sink,
      DriverMetrics metrics) {
    super(18, metrics);
    this.source = Objects.requireNonNull(source, "source");
    this.checksum = checksum;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** CHK over {@code frame[0..end)}: the 7-bit two's complement of the 7-bit sum. */
  public static int checksum(byte[] frame, int end) {
    int sum = 0;
    for (int i = 0; i < end; i++) {
      sum += frame[i] & 0x7F;
    }
    return (-sum) & 0x7F;
  }

  @Override
  protected int frameLength(byte[] buf, int start, int available) {
    return (buf[start] & 0x7F) == STX ? (checksum ? 18 : 17) : NOT_A_FRAME;
  }

  @Override
  protected void onFrame(byte[] f) {
    sink.accept(decode(f, checksum, source, clock.get()));
  }

  /** Decodes one frame (17 bytes, or 18 with CHK). */
  public static WeightReading decode(byte[] f, boolean checksum, String source, Stamp stamp) {
    if (f.length != (checksum ? 18 : 17) || (f[0] & 0x7F) != STX || (f[16] & 0x7F) != CR) {
      throw new MalformedFrameException(
          "framing", "want STX, 15 characters, CR" + (checksum ? ", CHK" : ""));
    }
    if (checksum) {
      int want = f[17] & 0x7F;
      int got = checksum(f, 17);
      if (got != want) {
        throw new MalformedFrameException(
            "checksum",
            "CHK computed " + HexDigits.lower2(got) + ", frame says " + HexDigits.lower2(want));
      }
    }
    int swa = f[1] & 0x7F;
    int swb = f[2] & 0x7F;
    int dp = swa & 0x07;
    int incCode = (swa >> 3) & 0x03;
    if (incCode == 0) {
      throw new MalformedFrameException(
          "status", "SWA increment code 00 is undefined, want x1/x2/x5");
    }
    int increment = new int[] {0, 1, 2, 5}[incCode];
    long weightDigits = digits(f, 4);
    long tareDigits = digits(f, 10);
    if (weightDigits % increment != 0) {
      throw new MalformedFrameException(
          "range", "weight digits " + weightDigits + " not a multiple of increment " + increment);
    }
    boolean net = (swb & 0x01) != 0;
    boolean negative = (swb & 0x02) != 0;
    boolean outOfRange = (swb & 0x04) != 0;
    boolean motion = (swb & 0x08) != 0;
    WeightUnit unit = (swb & 0x10) != 0 ? WeightUnit.KG : WeightUnit.LB;
    BigDecimal weight = scaled(weightDigits, dp);
    if (negative) {
      weight = weight.negate();
    }
    BigDecimal tare = scaled(tareDigits, dp);
    if (outOfRange) {
      return new WeightReading(
          source,
          stamp,
          ReadingStatus.INVALID,
          Optional.empty(),
          Optional.of(tare),
          Optional.of(unit),
          net,
          motion ? Motion.MOTION : Motion.STABLE,
          ScaleRange.OUT_OF_RANGE);
    }
    return new WeightReading(
        source,
        stamp,
        motion ? ReadingStatus.WARNING : ReadingStatus.VALID,
        Optional.of(weight),
        Optional.of(tare),
        Optional.of(unit),
        net,
        motion ? Motion.MOTION : Motion.STABLE,
        ScaleRange.IN_RANGE);
  }

  /** Decimal-point code: 0 → ×100, 1 → ×10, 2 → ×1, 3..7 → 1..5 decimals. */
  private static BigDecimal scaled(long digits, int dp) {
    return dp <= 2
        ? BigDecimal.valueOf(digits).scaleByPowerOfTen(2 - dp).setScale(0)
        : BigDecimal.valueOf(digits, dp - 2);
  }

  private static long digits(byte[] f, int from) {
    long v = 0;
    boolean seenDigit = false;
    for (int i = from; i < from + 6; i++) {
      int c = f[i] & 0x7F;
      if (c == ' ' && !seenDigit) {
        continue;
      }
      if (c < '0' || c > '9') {
        throw new MalformedFrameException(
            "field", "byte " + i + " is " + c + ", want a digit or leading blank");
      }
      seenDigit = true;
      v = v * 10 + (c - '0');
    }
    if (!seenDigit) {
      throw new MalformedFrameException("field", "digit field at " + from + " is blank");
    }
    return v;
  }

  /** Builds a frame, for tests and simulators. */
  public static byte[] encode(
      int swa, int swb, int swc, long weightDigits, long tareDigits, boolean withChecksum) {
    String body = String.format("%06d%06d", weightDigits, tareDigits);
    byte[] f = new byte[withChecksum ? 18 : 17];
    f[0] = STX;
    f[1] = (byte) swa;
    f[2] = (byte) swb;
    f[3] = (byte) swc;
    for (int i = 0; i < 12; i++) {
      f[4 + i] = (byte) body.charAt(i);
    }
    f[16] = CR;
    if (withChecksum) {
      f[17] = (byte) checksum(f, 17);
    }
    return f;
  }
}
