package io.haulproof.drivers.reading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HexDigitsTest {
  @Test
  void hexDigits_everyValueUpTo0x1ffff_matchesStringFormat() {
    for (int v = 0; v <= 0x1FFFF; v++) {
      assertThat(HexDigits.lower2(v)).isEqualTo(String.format("%02x", v));
      assertThat(HexDigits.upper2(v)).isEqualTo(String.format("%02X", v));
      assertThat(HexDigits.lower4(v)).isEqualTo(String.format("%04x", v));
    }
  }

  @Test
  void hexDigits_seededLargeValues_matchStringFormat() {
    Random r = new Random(20261204L);
    for (int i = 0; i < 10_000; i++) {
      int v = r.nextInt(Integer.MAX_VALUE);
      assertThat(HexDigits.lower2(v)).isEqualTo(String.format("%02x", v));
      assertThat(HexDigits.upper2(v)).isEqualTo(String.format("%02X", v));
      assertThat(HexDigits.lower4(v)).isEqualTo(String.format("%04x", v));
    }
  }
}
