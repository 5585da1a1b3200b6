package io.haulproof.lightchain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class PublicKeysTest {

  @Test
  void fromSpki_pointOffCurve_rejected() {
    // given: a valid P-256 SPKI whose last byte (of y) is changed, so the point leaves the curve
    byte[] spki = SoftwareDeviceKey.generate(CoseAlgorithm.ES256).publicKey().getEncoded();
    spki[spki.length - 1] ^= 1;

    // when / then
    assertThatThrownBy(() -> PublicKeys.fromSpki(Bytes.wrap(spki)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("invalid");
  }

  @Test
  void fromSpki_x25519Key_rejectedAsUnsupported() {
    // RFC 8410 example X25519 SubjectPublicKeyInfo (OID 1.3.101.110)
    Bytes x25519 =
        Bytes.fromHex(
            "302a300506032b656e032100"
                + "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
    assertThatThrownBy(() -> PublicKeys.fromSpki(x25519))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("unsupported key algorithm 1.3.101.110");
  }

  @Test
  void fromSpki_p384Key_rejectedWithCurveName() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    Bytes spki = Bytes.wrap(g.generateKeyPair().getPublic().getEncoded());
    assertThatThrownBy(() -> PublicKeys.fromSpki(spki))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("unsupported EC curve 1.3.132.0.34");
  }

  @Test
  void fromSpki_garbage_rejected() {
    assertThatThrownBy(() -> PublicKeys.fromSpki(Bytes.fromHex("300100")))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void pem_roundTrip_sameKey() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.EDDSA);
    String pem = PublicKeys.toPem(key.publicKey());
    assertThat(pem)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    assertThat(Kid.of(PublicKeys.fromPem(pem))).isEqualTo(key.kid());
  }
}
