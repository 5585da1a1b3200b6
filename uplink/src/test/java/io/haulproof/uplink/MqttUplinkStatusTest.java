package io.haulproof.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retained status (birth) message reports the device's active key. */
class MqttUplinkStatusTest {
  @TempDir Path tmp;

  @Test
  void birth_afterKeyRotated_reportsNewKid() throws Exception {
    // given an uplink configured with the first key's kid (not started: no broker needed)
    SignedLog log = new SignedLog("truck-1", 1);
    SignedLog other = new SignedLog("truck-1", 2);
    String oldKid = log.key().kid().toHex();
    String newKid = other.key().kid().toHex();
    MqttUplink up =
        new MqttUplink(
            new MqttUplink.Config(
                new Topics("fleet-a", "truck-1"),
                MqttSettings.of("tcp://127.0.0.1:1", "truck-1"),
                tmp,
                Outbox.Settings.defaults(),
                CheckpointPublisher.Settings.defaults(),
                other.key().publicKey(),
                "test",
                oldKid),
            log,
            log,
            new CheckpointPublisher.ReceiptListener() {
              @Override
              public void cosigned(ReceiptMessage.Cosigned r) {}

              @Override
              public void fork(ReceiptMessage.Conflict c) {}
            });
    try {
      ObjectMapper json = new ObjectMapper();
      assertThat(json.readTree(up.birth().payload().toByteArray()).get("kid").asText())
          .isEqualTo(oldKid);
      // when
      up.keyRotated(newKid);
      // then
      assertThat(json.readTree(up.birth().payload().toByteArray()).get("kid").asText())
          .isEqualTo(newKid);
      assertThat(up.kid()).isEqualTo(newKid);
    } finally {
      up.close();
    }
  }
}
