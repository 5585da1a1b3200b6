package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.uplink.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device certificate is checked against the fleet root with a kept verifier, and a certificate
 * the root did not sign is refused on every path that checks chains: join, and loading a stored
 * device.
 */
class AnchorVerifierTest {
  @TempDir Path tmp;
  private TestPki pki;
  private TestPki impostor; // another CA with the same name

  @BeforeEach
  void setUp() {
    pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    impostor = TestPki.create(tmp.resolve("impostor"), "Fleet CA");
  }

  private static X509Certificate device(TestPki ca, String id) throws Exception {
    return ca.deviceCertificate(id, TestPki.newKeyPair().getPublic());
  }

  /** {@code cert} with one bit of its signature flipped (the DER stays readable). */
  private static X509Certificate flipped(X509Certificate cert) throws Exception {
    byte[] der = cert.getEncoded();
    der[der.length - 2] ^= 0x01;
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  @Test
  void verify_certificateByTheAnchor_passesOnTheKeptPath() throws Exception {
    // given
    AnchorVerifier v = AnchorVerifier.of(pki.caCertificate());
    X509Certificate cert = device(pki, "truck-1");
    // when / then
    assertThat(v.kept()).isTrue();
    assertThat(cert.getSigAlgOID()).isEqualTo(AnchorVerifier.ECDSA_WITH_SHA256);
    assertThatCode(() -> v.verify(cert)).doesNotThrowAnyException();
    assertThatCode(() -> v.verify(cert)).doesNotThrowAnyException(); // and again, warm
  }

  @Test
  void verify_certificateByAnotherCaOfTheSameName_refused() throws Exception {
    // given
    AnchorVerifier v = AnchorVerifier.of(pki.caCertificate());
    X509Certificate forged = device(impostor, "truck-1");
    // when / then
    assertThatThrownBy(() -> v.verify(forged))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void verify_signatureBitFlipped_refused() throws Exception {
    // given
    AnchorVerifier v = AnchorVerifier.of(pki.caCertificate());
    X509Certificate forged = flipped(device(pki, "truck-1"));
    // when / then
    assertThatThrownBy(() -> v.verify(forged)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void join_certificateByAnotherCaOfTheSameName_refused() throws Exception {
    // given
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    registry.join(List.of(device(pki, "truck-1")));
    // when / then
    assertThatThrownBy(() -> registry.join(List.of(device(impostor, "truck-2"))))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not verify under any trust anchor");
    assertThatThrownBy(() -> registry.join(List.of(flipped(device(pki, "truck-3")))))
        .isInstanceOf(GeneralSecurityException.class);
    assertThat(registry.member("fleet-a", "truck-1")).isPresent();
    assertThat(registry.member("fleet-a", "truck-2")).isEmpty();
    assertThat(registry.member("fleet-a", "truck-3")).isEmpty();
  }

  @Test
  void member_storedDeviceWithForgedChain_notLoaded() throws Exception {
    // given a store (shared by instances) that holds one genuine and one forged device row
    try (LedgerStore store = new LedgerStore(Db.open(null, tmp.resolve("data")))) {
      X509Certificate good = device(pki, "truck-1");
      X509Certificate bad = device(impostor, "truck-2");
      store
          .db()
          .inTransaction(
              c -> {
                store.insertDevice(
                    c, "fleet-a", "truck-1", DeviceRegistry.encodeChain(List.of(good)), "1", 0L);
                store.insertDevice(
                    c, "fleet-a", "truck-2", DeviceRegistry.encodeChain(List.of(bad)), "2", 0L);
                return null;
              });
      // when another instance's registry looks both up
      DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
      registry.attach(store, Clock.systemUTC());
      // then
      assertThat(registry.member("fleet-a", "truck-1")).isPresent();
      assertThat(registry.member("fleet-a", "truck-2")).isEmpty();
    }
  }
}
