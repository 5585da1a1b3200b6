package io.haulproof.drivers.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.drivers.reading.DistanceReading;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FillLevelReading;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.bytes.Bytes;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The published node example (firmware-notes/smart-bin-node.md §5) verifies, and any changed byte
 * is refused.
 */
class NodeExampleVectorTest {
  @Test
  void example_verifiesAndDecodes_everyByteFlipRefused() throws Exception {
    // given
    JsonNode v;
    try (var in = getClass().getResourceAsStream("/vectors/node/smart-bin-node-example.json")) {
      v = new ObjectMapper().readTree(in);
    }
    PublicKey key =
        KeyFactory.getInstance("EC")
            .generatePublic(
                new X509EncodedKeySpec(Bytes.fromHex(v.get("spki").asText()).toByteArray()));
    byte[] cose = Bytes.fromHex(v.get("cose").asText()).toByteArray();
    // when
    NodeRegistry reg = new NodeRegistry();
    reg.register("bin-hh-0815", key);
    VerifiedNodeMessage m =
        new NodeReadingVerifier(reg, Stamp::now, new DriverMetrics("n")).verify(cose, null);
    // then
    assertThat(m.kid().toHex()).isEqualTo(v.get("kid").asText());
    assertThat(m.payload().encode().toHex()).isEqualTo(v.get("payload").asText());
    assertThat(m.payload().counter()).isEqualTo(42);
    FillLevelReading fill = (FillLevelReading) m.readings().get(0);
    assertThat(fill.fillPercent().getAsDouble()).isEqualTo(73);
    assertThat(fill.nodeTime()).contains(Instant.ofEpochSecond(1_795_000_000L));
    assertThat(((DistanceReading) m.readings().get(1)).units()).isEqualTo("mm");
    for (int i = 0; i < cose.length; i++) {
      byte[] bad = cose.clone();
      bad[i] ^= 0x01;
      NodeRegistry fresh = new NodeRegistry();
      fresh.register("bin-hh-0815", key);
      NodeReadingVerifier verifier =
          new NodeReadingVerifier(fresh, Stamp::now, new DriverMetrics("n"));
      assertThatThrownBy(() -> verifier.verify(bad, null))
          .as("byte %d flipped", i)
          .isInstanceOf(ReadingRejectedException.class);
    }
  }
}
