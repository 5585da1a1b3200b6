package io.haulproof.agent.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.testing.FileModes;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetCaTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  @TempDir Path dir;

  @Test
  void init_newDirectory_rootKeyIsOwnerOnlyAndCertNeverExpires() throws Exception {
    // when
    FleetCa ca = FleetCa.init(dir.resolve("ca"), "acme", clock);

    // then
    assertThat(FileModes.of(dir.resolve("ca/root.key"))).isEqualTo("rw-------");
    assertThat(ca.root().getNotAfter()).isEqualTo(Certificates.NO_EXPIRY);
    assertThat(ca.root().getBasicConstraints()).isZero();
    assertThat(FleetCa.open(dir.resolve("ca"), clock).root()).isEqualTo(ca.root());
  }

  @Test
  void init_existingCa_refusesToOverwrite() throws Exception {
    FleetCa.init(dir, "acme", clock);
    assertThatThrownBy(() -> FleetCa.init(dir, "acme", clock))
        .hasMessageContaining("already exists");
  }

  @Test
  void issueDevice_validCsr_trustedForThatDeviceOnly() throws Exception {
    // given
    FleetCa ca = FleetCa.init(dir, "acme", clock);
    KeyPair kp = Certificates.newP256KeyPair();

    // when
    X509Certificate cert = ca.issueDevice(TestCsr.of(kp, "whatever-the-device-claims"), "truck-7");

    // then
    FleetTrust trust = FleetTrust.pinned(ca.root(), ca.currentCrl());
    trust.verifyDevice(cert, new DeviceRef("acme", "truck-7"), kp.getPublic(), NOW);
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=truck-7");
    assertThat(cert.getNotAfter()).isEqualTo(Certificates.NO_EXPIRY);
    assertThatThrownBy(
            () -> trust.verifyDevice(cert, new DeviceRef("acme", "truck-8"), kp.getPublic(), NOW))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("urn:haulproof:device:acme:truck-8");
    assertThatThrownBy(() -> trust.verifyProvisioning(cert, NOW))
        .isInstanceOfSatisfying(
            TrustException.class,
            e -> assertThat(e.kind()).isEqualTo(TrustException.Kind.WRONG_PURPOSE));
  }

  @Test
  void issueDevice_csrSignedByOtherKey_rejected() throws Exception {
    // given a CSR whose public key is not the key that signed it
    FleetCa ca = FleetCa.init(dir, "acme", clock);
    KeyPair a = Certificates.newP256KeyPair();
    KeyPair b = Certificates.newP256KeyPair();
    var forged =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=x"), a.getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .build(b.getPrivate()));

    // then
    assertThatThrownBy(() -> ca.issueDevice(forged, "truck-1"))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("self-signature");
  }

  @Test
  void issueOperator_trustedAsProvisioning_untilRevoked() throws Exception {
    // given
    FleetCa ca = FleetCa.init(dir, "acme", clock);
    KeyPair kp = Certificates.newP256KeyPair();
    X509Certificate op = ca.issueOperator("alice", kp.getPublic());
    FleetTrust trust = FleetTrust.pinned(ca.root(), ca.currentCrl());
    assertThat(trust.verifyProvisioning(op, NOW)).isEqualTo(kp.getPublic());

    // when
    X509CRL crl = ca.revoke(op.getSerialNumber(), FleetCa.REASON_KEY_COMPROMISE);
    FleetTrust updated = trust.withCrl(crl);

    // then
    assertThat(updated.crlNumber()).isGreaterThan(trust.crlNumber());
    assertThatThrownBy(() -> updated.verifyProvisioning(op, NOW))
        .isInstanceOfSatisfying(
            TrustException.class, e -> assertThat(e.kind()).isEqualTo(TrustException.Kind.REVOKED));
    assertThatThrownBy(() -> updated.withCrl(trust.crl()))
        .isInstanceOfSatisfying(
            TrustException.class,
            e -> assertThat(e.kind()).isEqualTo(TrustException.Kind.STALE_CRL));
  }

  @Test
  void verifyProvisioning_certFromOtherCa_untrusted() throws Exception {
    // given two fleets with the same name
    FleetCa ours = FleetCa.init(dir.resolve("a"), "acme", clock);
    FleetCa theirs = FleetCa.init(dir.resolve("b"), "acme", clock);
    X509Certificate op = theirs.issueOperator("mallory", Certificates.newP256KeyPair().getPublic());

    // then
    FleetTrust trust = FleetTrust.pinned(ours.root(), null);
    assertThatThrownBy(() -> trust.verifyProvisioning(op, NOW))
        .isInstanceOfSatisfying(
            TrustException.class,
            e -> assertThat(e.kind()).isEqualTo(TrustException.Kind.UNTRUSTED_ISSUER));
    assertThatThrownBy(() -> trust.withCrl(theirs.currentCrl())).isInstanceOf(TrustException.class);
  }

  @Test
  void claimKey_rightCode_verifies_wrongCodeRejected() throws Exception {
    // given
    ClaimCode code = ClaimCode.generate();
    ClaimKey device = ClaimKey.create(code, "truck-7");
    device.save(dir.resolve("claim"));
    var request = io.haulproof.lightchain.bytes.Bytes.of((byte) 1, (byte) 2, (byte) 3);
    var mac = ClaimKey.load(dir.resolve("claim")).mac(request);

    // when the technician types the label with lower case and without dashes
    ClaimKey tech =
        ClaimKey.derive(
            ClaimCode.parse(code.label().toLowerCase().replace("-", "")),
            "truck-7",
            device.salt(),
            device.iterations());

    // then
    tech.verify(request, mac);
    assertThat(FileModes.of(dir.resolve("claim"))).isEqualTo("rw-------");
    ClaimKey wrong =
        ClaimKey.derive(ClaimCode.generate(), "truck-7", device.salt(), device.iterations());
    assertThatThrownBy(() -> wrong.verify(request, mac)).isInstanceOf(EnrollmentException.class);
    ClaimKey otherDevice = ClaimKey.derive(code, "truck-8", device.salt(), device.iterations());
    assertThatThrownBy(() -> otherDevice.verify(request, mac))
        .isInstanceOf(EnrollmentException.class);
    assertThat(device.toString()).doesNotContain(code.label()).contains("****");
  }
}
