package io.haulproof.agent.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.testing.FileModes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device identity over real encrypted key files: first key, enrollment, rotation, crash between
 * switch and confirm.
 */
class DeviceIdentityTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  private final DeviceRef ref = new DeviceRef("acme", "truck-7");
  @TempDir Path dir;
  FleetCa ca;
  LightchainKeyStores keys;

  @BeforeEach
  void setUp() throws Exception {
    ca = FleetCa.init(dir.resolve("ca"), "acme", clock);
    keys =
        LightchainKeyStores.files(
            dir.resolve("keys"),
            PassphraseSource.of("test pass".toCharArray()),
            CoseAlgorithm.ES256);
  }

  private DeviceIdentity open() throws Exception {
    return DeviceIdentity.open(dir.resolve("identity"), ref, ca.root(), keys, clock);
  }

  @Test
  void open_firstStart_createsEncryptedKeyOwnerOnly() throws Exception {
    DeviceIdentity id = open();

    assertThat(id.enrolled()).isFalse();
    Path keyFile = dir.resolve("keys/device-1/device.p8");
    assertThat(keyFile).exists();
    assertThat(FileModes.of(keyFile)).isEqualTo("rw-------");
    assertThat(Files.readString(keyFile)).contains("ENCRYPTED PRIVATE KEY");
    assertThat(open().activeKey().kid()).isEqualTo(id.activeKey().kid());
  }

  @Test
  void installCertificate_forOtherDevice_refused() throws Exception {
    DeviceIdentity id = open();
    var cert = ca.issueDevice(CsrBuilder.build(id.activeKey(), ref), "truck-8");

    assertThatThrownBy(() -> id.installCertificate(List.of(cert)))
        .isInstanceOf(TrustException.class);
    assertThat(id.enrolled()).isFalse();
  }

  @Test
  void rotation_switchAndConfirm_oldKeyDestroyed() throws Exception {
    // given
    DeviceIdentity id = open();
    id.installCertificate(
        List.of(ca.issueDevice(CsrBuilder.build(id.activeKey(), ref), "truck-7")));
    var old = id.activeKey();

    // when
    var csr = id.beginRotation();
    var next = id.switchToPending(ca.issueDevice(csr, "truck-7"));
    id.confirmSwitch();

    // then
    assertThat(next.kid()).isNotEqualTo(old.kid());
    assertThat(dir.resolve("keys/device-1/device.p8")).doesNotExist();
    DeviceIdentity reopened = open();
    assertThat(reopened.activeKey().kid()).isEqualTo(next.kid());
    assertThat(reopened.enrolled()).isTrue();
    assertThat(reopened.chain().get(0).getPublicKey()).isEqualTo(next.publicKey());
  }

  @Test
  void chainOf_afterConfirmedRotation_findsReplacedKeysCertificateToo() throws Exception {
    // given: a chain's first key, certified, then replaced (a PoAh genesis block signed by it is
    // proposed only later)
    DeviceIdentity id = open();
    id.installCertificate(
        List.of(ca.issueDevice(CsrBuilder.build(id.activeKey(), ref), "truck-7")));
    var first = id.activeKey();
    var next = id.switchToPending(ca.issueDevice(id.beginRotation(), "truck-7"));
    id.confirmSwitch();

    // when
    DeviceIdentity reopened = open();
    var ofFirst = reopened.chainOf(first.kid());
    var ofNext = reopened.chainOf(next.kid());

    // then
    assertThat(ofFirst).hasSize(2);
    assertThat(ofFirst.get(0).getPublicKey()).isEqualTo(first.publicKey());
    assertThat(ofFirst.get(1)).isEqualTo(ca.root());
    assertThat(ofNext.get(0).getPublicKey()).isEqualTo(next.publicKey());
    assertThat(reopened.chainOf(SoftwareDeviceKey.generate(CoseAlgorithm.ES256).kid())).isEmpty();
  }

  @Test
  void chainOf_beforeEnrollment_isEmpty() throws Exception {
    DeviceIdentity id = open();

    assertThat(id.chainOf(id.activeKey().kid())).isEmpty();
  }

  @Test
  void rotation_crashBeforeConfirm_rolledBackOnOpen() throws Exception {
    // given a switch that was never confirmed (the agent stopped in between)
    DeviceIdentity id = open();
    id.installCertificate(
        List.of(ca.issueDevice(CsrBuilder.build(id.activeKey(), ref), "truck-7")));
    var old = id.activeKey();
    id.switchToPending(ca.issueDevice(id.beginRotation(), "truck-7"));

    // when
    DeviceIdentity reopened = open();

    // then
    assertThat(reopened.activeKey().kid()).isEqualTo(old.kid());
    assertThat(reopened.enrolled()).isTrue();
    assertThat(dir.resolve("keys/device-2/device.p8")).doesNotExist();
    assertThat(reopened.previousKey()).isEmpty();
  }

  @Test
  void switchToPending_certForOldKey_refusedPendingKept() throws Exception {
    DeviceIdentity id = open();
    var oldCert = ca.issueDevice(CsrBuilder.build(id.activeKey(), ref), "truck-7");
    id.installCertificate(List.of(oldCert));
    id.beginRotation();

    assertThatThrownBy(() -> id.switchToPending(oldCert)).isInstanceOf(TrustException.class);
    assertThat(id.pendingKey()).isPresent();
    assertThat(id.previousKey()).isEmpty();
  }
}
