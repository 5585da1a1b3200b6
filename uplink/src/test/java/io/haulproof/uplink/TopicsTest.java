package io.haulproof.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void key_fleetAndDevice_fleetSlashDeviceSameAsStatic() {
    Topics t = new Topics("fleet-a", "truck-1");
    assertThat(t.key()).isEqualTo("fleet-a/truck-1").isEqualTo(Topics.key("fleet-a", "truck-1"));
    assertThat(t.entries()).isEqualTo("haulproof/v1/fleet-a/truck-1/entries");
  }

  @Test
  void new_deviceWithSlash_refusedSoKeysCannotCollide() {
    assertThatThrownBy(() -> new Topics("fleet-a", "truck/1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad device id 'truck/1'");
  }
}
