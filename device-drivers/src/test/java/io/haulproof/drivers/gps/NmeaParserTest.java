package io.haulproof.drivers.gps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmeaParserTest {
  private static final String GGA =
      "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47";
  private static final String RMC =
      "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A";
  private static final String GSA = "$GPGSA,A,3,23,13,16,19,06,,,,,,,,2.60,2.42,0.95*04";
  private static final String VTG = "$GPVTG,353.67,T,353.86,M,1.43,N,2.65,K,A*2B";
  private static final Stamp T0 = new Stamp(0, Instant.EPOCH);

  @Test
  void parse_missingChecksumWhenAllowed_accepted() {
    // given
    NmeaParser parser =
        new NmeaParser(NmeaOptions.strict().withAllowMissingChecksum(true), new DriverMetrics("t"));
    // when
    NmeaSentence s = parser.parse("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");
    // then
    assertThat(s).isInstanceOf(Gga.class);
  }

  @Test
  void parse_wrongChecksumWhenMissingAllowed_stillRejected() {
    NmeaParser parser =
        new NmeaParser(NmeaOptions.strict().withAllowMissingChecksum(true), new DriverMetrics("t"));
    assertThatThrownBy(() -> parser.parse(GGA.replace("*47", "*46")))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("computed 47, sentence says 46");
  }

  @Test
  void parse_rmcFields_decodedWithoutInvention() {
    // when
    Rmc r = (Rmc) new NmeaParser().parse(RMC);
    // then
    assertThat(r.valid()).isTrue();
    assertThat(r.date()).contains(LocalDate.of(1994, 3, 23));
    assertThat(r.time()).contains(LocalTime.of(12, 35, 19));
    assertThat(r.speedKnots().getAsDouble()).isEqualTo(22.4);
    assertThat(r.magneticVariationDeg().getAsDouble()).isEqualTo(-3.1);
    assertThat(r.mode()).isEmpty();
    assertThat(r.navStatus()).isEmpty();
  }

  @Test
  void parse_ggaFields_keepQualitySatsHdopAltitude() {
    Gga g = (Gga) new NmeaParser().parse(GGA);
    assertThat(g.quality().getAsInt()).isEqualTo(1);
    assertThat(g.satellitesUsed().getAsInt()).isEqualTo(8);
    assertThat(g.hdop().getAsDouble()).isEqualTo(0.9);
    assertThat(g.altitudeM().getAsDouble()).isEqualTo(545.4);
  }

  @Test
  void parse_gsaFields_satellitesAndDops() {
    Gsa a = (Gsa) new NmeaParser().parse(GSA);
    assertThat(a.fixType()).isEqualTo(3);
    assertThat(a.satellites()).containsExactly(23, 13, 16, 19, 6);
    assertThat(a.pdop().getAsDouble()).isEqualTo(2.60);
    assertThat(a.hdop().getAsDouble()).isEqualTo(2.42);
    assertThat(a.vdop().getAsDouble()).isEqualTo(0.95);
  }

  @Test
  void parse_malformedThenValid_malformedLeavesNoTrace() {
    // given: a malformed RMC whose first fields are fine (the partial-parse bug DOMAIN.md mentions)
    NmeaParser parser = new NmeaParser();
    GpsFixAssembler assembler = new GpsFixAssembler("gps0");
    String bad = withChecksum("GPRMC,123520,A,1111.111,N,02222.222,E,022.4,084.4,230394,003.1,W,Q");
    // when
    assertThatThrownBy(() -> parser.parse(bad)).isInstanceOf(MalformedFrameException.class);
    assembler.accept(parser.parse(GGA), T0);
    assembler.accept(parser.parse(RMC), T0);
    GpsFix fix = assembler.flush().orElseThrow();
    // then
    assertThat(fix.latitude().getAsDouble())
        .isEqualTo(48.1173, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(parser.metrics().rejectedCount("status")).isEqualTo(1);
    assertThat(parser.metrics().acceptedCount()).isEqualTo(2);
  }

  @Test
  void assembler_rmcGgaGsaOfOneEpoch_oneFixWithAllQualityFields() {
    // given
    NmeaParser parser = new NmeaParser();
    GpsFixAssembler assembler = new GpsFixAssembler("gps0");
    List<GpsFix> fixes = new ArrayList<>();
    // when
    for (String line :
        List.of(GGA, GSA, RMC, VTG, GGA.replace("123519", "123520").replace("*47", "*4D"))) {
      assembler.accept(parser.parse(line), T0).ifPresent(fixes::add);
    }
    // then
    assertThat(fixes).hasSize(1);
    GpsFix f = fixes.get(0);
    assertThat(f.status()).isEqualTo(ReadingStatus.VALID);
    assertThat(f.mode()).isEqualTo(FixMode.FIX_3D);
    assertThat(f.quality().getAsInt()).isEqualTo(1);
    assertThat(f.satellitesUsed().getAsInt()).isEqualTo(8);
    assertThat(f.hdop().getAsDouble()).isEqualTo(2.42);
    assertThat(f.pdop().getAsDouble()).isEqualTo(2.60);
    assertThat(f.utcDate()).contains(LocalDate.of(1994, 3, 23));
    assertThat(f.speedMps().getAsDouble())
        .isEqualTo(22.4 * 1852 / 3600, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void assembler_voidRmc_fixInvalidAndPositionAbsent() {
    NmeaParser parser = new NmeaParser();
    GpsFixAssembler assembler = new GpsFixAssembler("gps0");
    assembler.accept(parser.parse(withChecksum("GPRMC,123519,V,,,,,,,230394,,,N")), T0);
    GpsFix f = assembler.flush().orElseThrow();
    assertThat(f.status()).isEqualTo(ReadingStatus.INVALID);
    assertThat(f.latitude()).isEmpty();
    assertThat(f.hdop()).isEmpty();
  }

  @Test
  void streamDecoder_noiseAndBinaryBetweenSentences_skippedAndCounted() {
    // given
    DriverMetrics metrics = new DriverMetrics("gps0");
    List<GpsFix> fixes = new ArrayList<>();
    NmeaStreamDecoder d =
        new NmeaStreamDecoder(
            "gps0", new NmeaParser(NmeaOptions.strict(), metrics), () -> T0, fixes::add);
    byte[] ubx = {
      (byte) 0xB5, 0x62, 0x06, 0x08, 0x06, 0x00, 0x64, 0x00, 0x01, 0x00, 0x01, 0x00, 0x7A, 0x12
    };
    // when
    d.feed(ubx, 0, ubx.length);
    byte[] text =
        ("$GPGG" + "\r\n" + GGA + "\r\n" + RMC + "\r\n").getBytes(StandardCharsets.US_ASCII);
    d.feed(text, 0, text.length);
    d.flush();
    // then
    assertThat(fixes).hasSize(1);
    assertThat(metrics.skippedBytes()).isEqualTo(ubx.length);
    assertThat(metrics.rejectedTotal()).isEqualTo(1);
  }

  static String withChecksum(String body) {
    int x = 0;
    for (char c : body.toCharArray()) {
      x ^= c;
    }
    return String.format("$%s*%02X", body, x);
  }
}
