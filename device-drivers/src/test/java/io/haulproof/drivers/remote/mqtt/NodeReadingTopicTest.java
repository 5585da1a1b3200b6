package io.haulproof.drivers.remote.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeReadingTopicTest {
  @Test
  void topicFilter_oneLevelFleet_isTheReadingsWildcard() {
    assertThat(NodeReadingTopic.topicFilter("fleet1"))
        .isEqualTo("haulproof/v1/fleet1/nodes/+/readings");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "+", "#", "f#"})
  void topicFilter_emptyOrWildcardOrMultiLevelFleet_throwsNamingIt(String fleet) {
    assertThatThrownBy(() -> NodeReadingTopic.topicFilter(fleet))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + fleet + "'");
  }

  @Test
  void nodeOf_readingsTopic_isTheNodeLevel() {
    assertThat(NodeReadingTopic.nodeOf("haulproof/v1/fleet1/nodes/bin-7/readings"))
        .isEqualTo("bin-7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "haulproof/v1/fleet1/nodes//readings",
        "haulproof/v1/fleet1/nodes/bin-7/status",
        "haulproof/v1/fleet1/bins/bin-7/readings",
        "haulproof/v1/fleet1/nodes/bin-7/readings/x",
        "haulproof/v1/fleet1/nodes/bin-7"
      })
  void nodeOf_otherTopic_throwsNamingIt(String topic) {
    assertThatThrownBy(() -> NodeReadingTopic.nodeOf(topic))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(topic);
  }
}
