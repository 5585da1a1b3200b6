package io.haulproof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.rfid.FdxbUartReader;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The simulator's frames are what the real drivers accept, and match the DOMAIN.md vectors. */
class FramesTest {

  @Test
  void fdxbUart_domainVectorId_matchesVectorDigitsAndDecodes() {
    // given: DOMAIN.md §3 [V] frame for id 250000023921, country 900 (animal flag set there)
    byte[] vector =
        HexFormat.of().parseHex("02313731413932353341333438333030313030303030303030303007F803");
    // when
    byte[] ours = Frames.fdxbUart(900, 250000023921L);
    Iso11784Code decoded = FdxbUartReader.decode(ours);
    // then
    assertThat(java.util.Arrays.copyOfRange(ours, 1, 15))
        .isEqualTo(java.util.Arrays.copyOfRange(vector, 1, 15));
    assertThat(decoded.country()).isEqualTo(900);
    assertThat(decoded.nationalId()).isEqualTo(250000023921L);
  }

  @Test
  void nmeaEpoch_parsesWithChecksumsAndPosition() {
    // when
    byte[] epoch =
        Frames.nmeaEpoch(Instant.parse("2026-11-17T07:30:01.250Z"), 53.5511, -9.9937, 9, 0.9);
    String[] lines = new String(epoch, StandardCharsets.US_ASCII).split("\r\n");
    NmeaParser parser = new NmeaParser();
    // then
    assertThat(lines).hasSize(3);
    for (String l : lines) {
      assertThat(parser.parse(l)).isNotNull();
    }
    assertThat(lines[0]).startsWith("$GPRMC,073001.250,A,5333.0660,N,00959.6220,W,");
    assertThat(
            new String(
                Frames.nmea("GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
                StandardCharsets.US_ASCII))
        .isEqualTo("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n");
  }

  @Test
  void toledo_weightAndMotion_decodeToTheSameValues() {
    // when
    WeightReading stable =
        ToledoContinuousReader.decode(
            Frames.toledo(585, false), true, "s", new Stamp(0, Instant.EPOCH));
    WeightReading moving =
        ToledoContinuousReader.decode(
            Frames.toledo(120, true), true, "s", new Stamp(0, Instant.EPOCH));
    // then
    assertThat(stable.weight()).hasValueSatisfying(w -> assertThat(w).isEqualByComparingTo("58.5"));
    assertThat(stable.motion()).isEqualTo(Motion.STABLE);
    assertThat(moving.motion()).isEqualTo(Motion.MOTION);
  }
}
