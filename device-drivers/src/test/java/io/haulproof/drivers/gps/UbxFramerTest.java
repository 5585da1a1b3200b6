package io.haulproof.drivers.gps;

import static io.haulproof.drivers.testing.Streams.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.DriverMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UbxFramerTest {
  @Test
  void ubx_domainVectorCfgRate_checksum7a12() {
    // given [V] B5 62 06 08 06 00 64 00 01 00 01 00 7A 12 (CFG-RATE 100 ms)
    byte[] v = hex("B5 62 06 08 06 00 64 00 01 00 01 00 7A 12");
    List<UbxFramer.UbxFrame> out = new ArrayList<>();
    DriverMetrics m = new DriverMetrics("ubx");
    // when
    new UbxFramer(out::add, m).feed(v);
    // then
    assertThat(UbxFramer.checksum(v, 2, 12)).isEqualTo(0x127A);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).messageClass()).isEqualTo(0x06);
    assertThat(out.get(0).messageId()).isEqualTo(0x08);
    assertThat(out.get(0).payload().toHex()).isEqualTo("640001000100");
  }

  @Test
  void ubx_interleavedWithNmea_bothSidesSurvive() {
    byte[] v = hex("B5 62 06 08 06 00 64 00 01 00 01 00 7A 12");
    byte[] bad = v.clone();
    bad[13] ^= 1;
    List<UbxFramer.UbxFrame> out = new ArrayList<>();
    DriverMetrics m = new DriverMetrics("ubx");
    UbxFramer f = new UbxFramer(out::add, m);
    f.feed("$GPGGA,1*00\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    f.feed(bad);
    f.feed(v);
    assertThat(out).hasSize(1);
    assertThat(m.rejectedCount("checksum")).isEqualTo(1);
  }
}
