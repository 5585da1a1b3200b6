package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.FixMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The driver's fix mode reaches the signed entry's, one constant to one (issue 12). */
class GnssSourceTest {
  @ParameterizedTest
  @EnumSource(FixMode.class)
  void fixMode_everyDriverMode_sameModeOrNullWhenUnknown(FixMode m) {
    // when
    io.haulproof.lightchain.entry.FixMode mapped = GnssSource.fixMode(m);
    // then: only "the receiver did not say" has no entry mode; every other keeps its name
    if (m == FixMode.UNKNOWN) {
      assertThat(mapped).isNull();
    } else {
      assertThat(mapped).isNotNull();
      assertThat(mapped.name()).isEqualTo(m.name());
    }
  }
}
