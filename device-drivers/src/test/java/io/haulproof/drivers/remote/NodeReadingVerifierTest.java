package io.haulproof.drivers.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DistanceReading;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FillLevelReading;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Mutator;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeReadingVerifierTest {
  static final SoftwareDeviceKey BIN7 =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
  static final SoftwareDeviceKey STRANGER =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());

  private final NodeRegistry registry = new NodeRegistry();
  private final DriverMetrics metrics = new DriverMetrics("nodes");
  private final NodeReadingVerifier verifier =
      new NodeReadingVerifier(registry, Stamp::now, metrics);

  static NodePayload payload(String node, long counter) {
    return new NodePayload(
        node,
        counter,
        OptionalLong.of(1_790_000_000L),
        OptionalInt.of(73),
        Optional.of(false),
        Optional.of(false),
        Optional.of(false),
        Optional.of(false),
        Optional.empty(),
        OptionalLong.of(12),
        OptionalLong.of(412),
        Optional.of("mm"));
  }

  static byte[] signed(SoftwareDeviceKey key, NodePayload p) {
    return CoseSign1.sign(key, p.encode()).encoded().toByteArray();
  }

  @BeforeEach
  void register() {
    registry.register("bin-7", BIN7.publicKey());
  }

  @Test
  void verify_registeredNode_readingsDecodedAndCoseKeptAsReceived() throws Exception {
    // given
    byte[] msg = signed(BIN7, payload("bin-7", 1));
    // when
    VerifiedNodeMessage v = verifier.verify(msg, null);
    // then
    assertThat(v.nodeId()).isEqualTo("bin-7");
    assertThat(v.cose()).isEqualTo(Bytes.of(msg));
    FillLevelReading fill = (FillLevelReading) v.readings().get(0);
    assertThat(fill.fillPercent().getAsDouble()).isEqualTo(73);
    assertThat(fill.coverOpen()).isEmpty();
    assertThat(((DistanceReading) v.readings().get(1)).value()).isEqualTo(412);
    assertThat(metrics.acceptedCount()).isEqualTo(1);
  }

  @Test
  void verify_replayAndOldCounter_rejected() throws Exception {
    byte[] first = signed(BIN7, payload("bin-7", 5));
    verifier.verify(first, null);
    assertThatThrownBy(() -> verifier.verify(first, null))
        .isInstanceOf(ReadingRejectedException.class)
        .hasMessageContaining("replay")
        .hasMessageContaining("want > 5");
    assertThatThrownBy(() -> verifier.verify(signed(BIN7, payload("bin-7", 4)), null))
        .isInstanceOf(ReadingRejectedException.class);
    assertThat(metrics.rejectedCount("replay")).isEqualTo(2);
  }

  @Test
  void verify_unknownKey_rejected() {
    assertThatThrownBy(() -> verifier.verify(signed(STRANGER, payload("bin-7", 1)), null))
        .hasMessageContaining("unknown-node");
  }

  @Test
  void verify_tamperedPayload_badSignature() {
    byte[] msg = signed(BIN7, payload("bin-7", 1));
    int i = indexOf(msg, payload("bin-7", 1).encode().toByteArray()) + 3;
    msg[i] ^= 1;
    assertThatThrownBy(() -> verifier.verify(msg, null))
        .isInstanceOf(ReadingRejectedException.class)
        .satisfies(
            e ->
                assertThat(((ReadingRejectedException) e).reason())
                    .isIn(RejectReason.BAD_SIGNATURE, RejectReason.MALFORMED));
  }

  @Test
  void verify_payloadClaimsOtherNodeOrWrongTopic_nodeMismatch() {
    registry.register("bin-8", STRANGER.publicKey());
    assertThatThrownBy(() -> verifier.verify(signed(STRANGER, payload("bin-7", 1)), null))
        .hasMessageContaining("node-mismatch");
    assertThatThrownBy(() -> verifier.verify(signed(BIN7, payload("bin-7", 2)), "bin-8"))
        .hasMessageContaining("node-mismatch");
  }

  @Test
  void verify_oversize_rejectedBeforeDecoding() {
    assertThatThrownBy(() -> verifier.verify(new byte[1025], null))
        .hasMessageContaining("oversize");
    assertThat(metrics.rejectedCount("oversize")).isEqualTo(1);
  }

  @Test
  void verify_fuzzedMessages_onlyRejectionsNoOtherException() {
    // given valid messages mutated at random, and random bytes
    Random rnd = new Random(99);
    byte[] valid = signed(BIN7, payload("bin-7", 1_000_000));
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] m = i % 5 == 0 ? randomBytes(rnd) : new Mutator(rnd).mutate(valid);
      try {
        verifier.verify(m, null);
        accepted++;
      } catch (ReadingRejectedException e) {
        assertThat(e.reason()).isNotNull();
      }
    }
    // then at most the unmodified original could pass, once
    assertThat(accepted).isLessThanOrEqualTo(1);
    assertThat(metrics.rejectedTotal() + metrics.acceptedCount()).isEqualTo(3000);
  }

  private static byte[] randomBytes(Random rnd) {
    byte[] b = new byte[rnd.nextInt(200)];
    rnd.nextBytes(b);
    return b;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("payload not found in message");
  }
}
