package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.ReadingRejectedException;
import io.haulproof.drivers.remote.RejectReason;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The byte example in firmware-notes/smart-bin-node.md, extracted from the markdown and checked
 * with the gateway's own code: lightchain's CoseSign1 and the drivers' NodeReadingVerifier. If the
 * page and the code disagree, this fails.
 */
class FirmwareNotesExampleTest {
  private static final Path PAGE = Tool.REPO.resolve("firmware-notes/smart-bin-node.md");
  private static final Pattern BLOCK =
      Pattern.compile("<!-- example:([a-z0-9-]+) -->\\s*```\\s*\\n([0-9a-f\\s]+?)```");
  private static Map<String, Bytes> examples;

  @BeforeAll
  static void extract() throws IOException {
    examples = new HashMap<>();
    Matcher m = BLOCK.matcher(Files.readString(PAGE));
    while (m.find()) {
      examples.put(m.group(1), Bytes.fromHex(m.group(2).replaceAll("\\s+", "")));
    }
    assertThat(examples)
        .as("example blocks in %s", PAGE)
        .containsOnlyKeys("private-d", "spki", "kid", "payload", "cose-sign1");
  }

  @Test
  void example_coseSign1_verifiesWithTheRegisteredKey() {
    // given
    PublicKey key = PublicKeys.fromSpki(examples.get("spki"));

    // when
    CoseSign1 cose = CoseSign1.decode(examples.get("cose-sign1"));

    // then: ES256, the documented kid and payload, a valid signature over the received bytes
    assertThat(cose.alg()).isEqualTo(CoseAlgorithm.ES256);
    assertThat(cose.kid()).isEqualTo(Kid.ofSpki(examples.get("spki")));
    assertThat(cose.kid().value()).isEqualTo(examples.get("kid"));
    assertThat(cose.payload()).isEqualTo(examples.get("payload"));
    assertThat(cose.signature().length()).isEqualTo(64);
    cose.verify(SignatureVerifier.of(key));
  }

  @Test
  void example_payload_decodesToTheDocumentedReading() {
    // when
    NodePayload p = NodePayload.decode(examples.get("payload"));

    // then
    assertThat(p.nodeId()).isEqualTo("bin-hh-0815");
    assertThat(p.counter()).isEqualTo(42);
    assertThat(p.nodeTime()).hasValue(1_795_000_000L);
    assertThat(p.fillPercent()).hasValue(73);
    assertThat(p.full()).contains(false);
    assertThat(p.tilt()).contains(false);
    assertThat(p.fire()).contains(false);
    assertThat(p.distance()).hasValue(412);
    assertThat(p.distanceUnits()).contains("mm");
    assertThat(p.encode())
        .as("the documented payload is the deterministic encoding")
        .isEqualTo(examples.get("payload"));
  }

  @Test
  void example_privateScalar_derivesTheRegisteredPublicKey() {
    // given
    X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
    BigInteger d = new BigInteger(1, examples.get("private-d").toByteArray());

    // when
    ECPoint q = p256.getG().multiply(d).normalize();

    // then
    ECPublicKey registered = (ECPublicKey) PublicKeys.fromSpki(examples.get("spki"));
    assertThat(q.getAffineXCoord().toBigInteger()).isEqualTo(registered.getW().getAffineX());
    assertThat(q.getAffineYCoord().toBigInteger()).isEqualTo(registered.getW().getAffineY());
  }

  @Test
  void example_gatewayVerifier_acceptsOnceThenRefusesTheReplay() throws Exception {
    // given: the gateway's registry with the node's key
    NodeRegistry registry = new NodeRegistry();
    registry.register("bin-hh-0815", PublicKeys.fromSpki(examples.get("spki")));
    NodeReadingVerifier verifier =
        new NodeReadingVerifier(registry, Stamp::now, new DriverMetrics("remote"));
    byte[] message = examples.get("cose-sign1").toByteArray();

    // when
    VerifiedNodeMessage ok = verifier.verify(message, "bin-hh-0815");

    // then
    assertThat(ok.nodeId()).isEqualTo("bin-hh-0815");
    assertThat(ok.cose()).isEqualTo(examples.get("cose-sign1"));
    assertThatThrownBy(() -> verifier.verify(message, "bin-hh-0815"))
        .isInstanceOfSatisfying(
            ReadingRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.REPLAY));
  }

  @Test
  void example_anySignatureByteChanged_isRefused() {
    // given
    byte[] message = examples.get("cose-sign1").toByteArray();
    PublicKey key = PublicKeys.fromSpki(examples.get("spki"));

    for (int i = message.length - 64; i < message.length; i += 7) {
      byte[] tampered = message.clone();
      tampered[i] ^= 0x01;

      // when / then
      CoseSign1 cose = CoseSign1.decode(Bytes.of(tampered));
      assertThatThrownBy(() -> cose.verify(SignatureVerifier.of(key)))
          .as("signature byte %d flipped", i)
          .isInstanceOf(VerificationException.class);
    }
  }

  @Test
  void example_payloadByteChanged_isRefusedByTheGateway() {
    // given: the fill percentage 73 (0x49) changed to 74 inside the signed message
    NodeRegistry registry = new NodeRegistry();
    registry.register("bin-hh-0815", PublicKeys.fromSpki(examples.get("spki")));
    NodeReadingVerifier verifier =
        new NodeReadingVerifier(registry, Stamp::now, new DriverMetrics("remote"));
    String hex = examples.get("cose-sign1").toHex();
    String tampered = hex.replace("19177118" + "49", "19177118" + "4a");
    assertThat(tampered).isNotEqualTo(hex);

    // when / then
    assertThatThrownBy(() -> verifier.verify(Bytes.fromHex(tampered).toByteArray(), "bin-hh-0815"))
        .isInstanceOfSatisfying(
            ReadingRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_SIGNATURE));
  }
}
