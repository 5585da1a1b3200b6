package io.haulproof.drivers.gpsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.MalformedFrameException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpsdJsonTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "3",
        "3\"",
        "\"TPV\"",
        "[1,2]",
        "{\"class\":\"TPV\"",
        "x}",
        "{{\"\u00de"
      })
  void parse_notAJsonObjectLine_refusedAsJson(String line) {
    assertThatThrownBy(() -> GpsdJson.parse(line))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"class\":\"TPV\",\"mode\":3}", "  {\"class\":\"SKY\"}\r"})
  void parse_objectLine_parsed(String line) {
    assertThat(GpsdJson.parse(line).get("class").isTextual()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"class\":}", "{]}", "{\"a\":1,}"})
  void parse_brokenObject_refusedAsJson(String line) {
    assertThatThrownBy(() -> GpsdJson.parse(line))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("unparseable report");
  }
}
