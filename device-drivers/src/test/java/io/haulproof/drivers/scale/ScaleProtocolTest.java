package io.haulproof.drivers.scale;

import static io.haulproof.drivers.testing.Streams.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.testing.Streams;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleProtocolTest {
  private static final Stamp T0 = new Stamp(0, Instant.EPOCH);
  // SWA 0x34: bit 5 set, increment x2 (10), decimal code 4 (XXXX.XX); SWB 0x30: bit 5, kg, gross,
  // stable
  private static final int SWA_X2_2DP = 0x20 | (2 << 3) | 4;
  private static final int SWB_KG = 0x20 | 0x10;

  private final List<WeightReading> out = new ArrayList<>();
  private final DriverMetrics metrics = new DriverMetrics("scale");

  @Test
  void toledo_handBuiltFrame_checksumAndFields() {
    // given STX 34 30 20 "003842" "001200" CR CHK; CHK = -(sum of 7-bit chars) & 0x7F
    byte[] f = ToledoContinuousReader.encode(SWA_X2_2DP, SWB_KG, 0x20, 3842, 1200, true);
    int sum = 0x02 + SWA_X2_2DP + SWB_KG + 0x20 + "0038420012000".chars().limit(12).sum() + 0x0D;
    // when
    WeightReading r = ToledoContinuousReader.decode(f, true, "scale", T0);
    // then
    assertThat(f[17] & 0xFF).isEqualTo((-sum) & 0x7F);
    assertThat(r.weight()).contains(new BigDecimal("38.42"));
    assertThat(r.tare()).contains(new BigDecimal("12.00"));
    assertThat(r.unit()).contains(WeightUnit.KG);
    assertThat(r.motion()).isEqualTo(Motion.STABLE);
    assertThat(r.status()).isEqualTo(ReadingStatus.VALID);
  }

  @Test
  void toledo_statusBits_negativeNetMotionLbAndDecimalCodes() {
    int swb = 0x20 | 0x01 | 0x02 | 0x08; // net, negative, motion, lb
    WeightReading r =
        ToledoContinuousReader.decode(
            ToledoContinuousReader.encode(0x20 | (1 << 3) | 1, swb, 0x20, 1234, 0, false),
            false,
            "s",
            T0);
    assertThat(r.weight()).contains(new BigDecimal("-12340"));
    assertThat(r.net()).isTrue();
    assertThat(r.unit()).contains(WeightUnit.LB);
    assertThat(r.motion()).isEqualTo(Motion.MOTION);
    assertThat(r.status()).isEqualTo(ReadingStatus.WARNING);
  }

  @Test
  void toledo_outOfRange_noWeightInvented() {
    WeightReading r =
        ToledoContinuousReader.decode(
            ToledoContinuousReader.encode(SWA_X2_2DP, SWB_KG | 0x04, 0x20, 999998, 0, true),
            true,
            "s",
            T0);
    assertThat(r.weight()).isEmpty();
    assertThat(r.range()).isEqualTo(ScaleRange.OUT_OF_RANGE);
    assertThat(r.status()).isEqualTo(ReadingStatus.INVALID);
  }

  @Test
  void toledo_parityBitSet_parsedLeniently() {
    byte[] f = ToledoContinuousReader.encode(SWA_X2_2DP, SWB_KG, 0x20, 3842, 0, true);
    for (int i = 0; i < f.length; i++) {
      if (Integer.bitCount(f[i] & 0x7F) % 2 == 1) {
        f[i] |= (byte) 0x80; // even parity in bit 7
      }
    }
    assertThat(ToledoContinuousReader.decode(f, true, "s", T0).weight())
        .contains(new BigDecimal("38.42"));
  }

  @Test
  void toledo_oddDigitsWithIncrementTwo_rejected() {
    byte[] f = ToledoContinuousReader.encode(SWA_X2_2DP, SWB_KG, 0x20, 3843, 0, true);
    assertThatThrownBy(() -> ToledoContinuousReader.decode(f, true, "s", T0))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("increment 2");
  }

  @Test
  void toledo_checksumByteIsStx_framedByLength() {
    // given: search for a frame whose checksum byte is 0x02, so a start mark follows the CR
    byte[] f = null;
    for (int w = 0; w < 999999 && f == null; w += 2) {
      byte[] c = ToledoContinuousReader.encode(SWA_X2_2DP, SWB_KG, 0x20, w, 0, true);
      if (c[17] == 0x02) {
        f = c;
      }
    }
    assertThat(f).isNotNull();
    ToledoContinuousReader reader =
        new ToledoContinuousReader("s", true, Streams.ticking(), out::add, metrics);
    // when
    reader.feed(f);
    reader.feed(f);
    // then
    assertThat(out).hasSize(2);
    assertThat(metrics.rejectedTotal()).isZero();
  }

  @Test
  void mtSics_repliesOfSAndSi_readingsAndCountedErrors() {
    // given
    MtSicsReader reader = new MtSicsReader("sics", Streams.ticking(), out::add, metrics);
    String in =
        "S S     100.00 kg\r\nS D      99.80 kg\r\nS I\r\nS +\r\nS -\r\nES\r\nET\r\nEL\r\nS S 1 oz\r\n";
    // when
    reader.feed(in.getBytes(StandardCharsets.US_ASCII));
    // then
    assertThat(out).hasSize(4);
    assertThat(out.get(0).weight()).contains(new BigDecimal("100.00"));
    assertThat(out.get(0).motion()).isEqualTo(Motion.STABLE);
    assertThat(out.get(1).motion()).isEqualTo(Motion.MOTION);
    assertThat(out.get(2).range()).isEqualTo(ScaleRange.OVERLOAD);
    assertThat(out.get(2).weight()).isEmpty();
    assertThat(out.get(3).range()).isEqualTo(ScaleRange.UNDERLOAD);
    assertThat(metrics.rejectedByReason())
        .containsEntry("busy", 1L)
        .containsEntry("error-ES", 1L)
        .containsEntry("error-ET", 1L)
        .containsEntry("error-EL", 1L)
        .containsEntry("unit", 1L);
    assertThat(new String(MtSicsReader.command("SI"), StandardCharsets.US_ASCII))
        .isEqualTo("SI\r\n");
  }

  @Test
  void modbusCrc_domainVector_c5cd() {
    byte[] req = ModbusIndicatorClient.readRequest(1, 3, 0, 10);
    assertThat(req).containsExactly(hex("01 03 00 00 00 0A C5 CD"));
  }

  @Test
  void calibration_referenceWeight_spanAndRounding() {
    // given
    ScaleSpec spec =
        new ScaleSpec(
            new BigDecimal("0.5"), new BigDecimal("10"), new BigDecimal("500"), WeightUnit.KG);
    Calibration cal = Calibration.fromReference(8_000, 108_000, new BigDecimal("50"));
    // then: 2000 counts per kg
    assertThat(cal.toWeight(8_000 + 2_000 * 38 + 700, spec)).isEqualByComparingTo("38.5");
    assertThat(cal.rezero(9_000).toWeight(9_000, spec)).isEqualByComparingTo("0");
    assertThatThrownBy(() -> Calibration.fromReference(0, 10, BigDecimal.ONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
