package io.haulproof.agent.mgmt;

import static io.haulproof.agent.mgmt.MgmtFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.CsrBuilder;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborTag;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a management request can be refused; each leaves the configuration unchanged and is
 * counted.
 */
class ManagementServiceRejectTest {
  @TempDir Path dir;
  MgmtFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new MgmtFixture(dir, true);
  }

  private MgmtRequest config(DeviceRef target, Instant issued, Instant expires, long version) {
    return new MgmtRequest(
        "config",
        target,
        version,
        issued,
        expires,
        Certificates.der(f.operator.certificate()),
        texts("a.b", "1"));
  }

  private MgmtRequest validConfig(long version) {
    return config(f.ref, MgmtFixture.NOW, MgmtFixture.NOW.plus(Duration.ofMinutes(10)), version);
  }

  private void assertRejected(Bytes request, RejectReason reason) {
    long before = f.service.rejectedCount(reason);
    long configVersion = f.service.currentConfig().version();

    ManagementService.Handled h = f.service.handle(request);

    assertThat(h.response().ok()).as("response %s", h.response().toMap()).isFalse();
    assertThat(h.response().reason()).as("detail %s", h.response().detail()).isEqualTo(reason);
    assertThat(h.response().toMap())
        .containsEntry("status", "rejected")
        .containsEntry("reason", reason.name());
    assertThat(h.after()).isEmpty();
    assertThat(f.service.rejectedCount(reason)).isEqualTo(before + 1);
    assertThat(
            f.meters
                .counter(
                    "haulproof.mgmt.requests",
                    "op",
                    h.response().op(),
                    "status",
                    "rejected",
                    "reason",
                    reason.name())
                .count())
        .isGreaterThanOrEqualTo(1.0);
    assertThat(f.service.currentConfig().version()).isEqualTo(configVersion);
    assertThat(f.hooks.applied).isEmpty();
    assertThat(f.hooks.evidence).isEmpty();
  }

  @Test
  void handle_bareRequestMap_unsigned() {
    assertRejected(validConfig(1).encode(), RejectReason.UNSIGNED);
  }

  @Test
  void handle_coseWithEmptySignature_unsigned() {
    // given a COSE_Sign1 whose signature field is empty
    CoseSign1 real = CoseSign1.decode(f.signer().sign(validConfig(1)));
    Bytes stripped =
        Cbor.encode(
            new CborTag(
                18,
                CborArray.of(
                    new CborBytes(real.protectedBytes()),
                    CborMap.empty(),
                    new CborBytes(real.payload()),
                    new CborBytes(Bytes.EMPTY))));

    assertRejected(stripped, RejectReason.UNSIGNED);
  }

  @Test
  void handle_flippedSignatureBit_badSignature() {
    byte[] b = f.signer().sign(validConfig(1)).toByteArray();
    b[b.length - 5] ^= 0x01;
    assertRejected(Bytes.wrap(b), RejectReason.BAD_SIGNATURE);
  }

  @Test
  void handle_alteredPayload_badSignature() {
    // given a request whose payload was changed after signing (version bumped inside the signed
    // bytes)
    CoseSign1 real = CoseSign1.decode(f.signer().sign(validConfig(1)));
    Bytes other = validConfig(2).encode();
    Bytes forged =
        Cbor.encode(
            new CborTag(
                18,
                CborArray.of(
                    new CborBytes(real.protectedBytes()),
                    CborMap.empty(),
                    new CborBytes(other),
                    new CborBytes(real.signature()))));

    assertRejected(forged, RejectReason.BAD_SIGNATURE);
  }

  @Test
  void handle_certOfAliceSignedByMallory_badSignature() {
    // given mallory's key signs a request that carries alice's certificate
    var mallory = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Bytes forged = CoseSign1.sign(mallory, validConfig(1).encode()).encoded();

    assertRejected(forged, RejectReason.BAD_SIGNATURE);
  }

  @Test
  void handle_expired_rejected() throws Exception {
    Bytes req = f.request(MgmtOp.CONFIG, texts("a.b", "1"));
    f.clock.advance(Duration.ofMinutes(11));
    assertRejected(req, RejectReason.EXPIRED);
  }

  @Test
  void handle_lifetimeLongerThanAllowed_expired() {
    MgmtRequest r = config(f.ref, MgmtFixture.NOW, MgmtFixture.NOW.plus(Duration.ofDays(31)), 1);
    assertRejected(f.signer().sign(r), RejectReason.EXPIRED);
  }

  @Test
  void handle_issuedInTheFuture_notYetValid() {
    MgmtRequest r =
        config(
            f.ref,
            MgmtFixture.NOW.plus(Duration.ofHours(1)),
            MgmtFixture.NOW.plus(Duration.ofHours(2)),
            1);
    assertRejected(f.signer().sign(r), RejectReason.NOT_YET_VALID);
  }

  @Test
  void handle_sameRequestTwice_replayed() throws Exception {
    // given an accepted request
    Bytes req = f.request(MgmtOp.INVENTORY, texts());
    assertThat(f.service.handle(req).response().ok()).isTrue();

    assertRejected(req, RejectReason.REPLAYED);
  }

  @Test
  void handle_replayAfterRestart_replayed() throws Exception {
    Bytes req = f.request(MgmtOp.INVENTORY, texts());
    assertThat(f.service.handle(req).response().ok()).isTrue();
    f.restart();

    assertRejected(req, RejectReason.REPLAYED);
  }

  @Test
  void handle_olderVersionFromSameIssuer_replayed() throws Exception {
    Bytes newer = f.signer().sign(validConfig(100).withOp("inventory"));
    assertThat(f.service.handle(newer).response().ok()).isTrue();

    assertRejected(f.signer().sign(validConfig(99)), RejectReason.REPLAYED);
  }

  @Test
  void handle_otherDevice_wrongTarget() {
    MgmtRequest r =
        config(
            new DeviceRef("acme", "truck-8"), MgmtFixture.NOW, MgmtFixture.NOW.plusSeconds(60), 1);
    assertRejected(f.signer().sign(r), RejectReason.WRONG_TARGET);
  }

  @Test
  void handle_otherFleet_wrongTarget() {
    MgmtRequest r =
        config(
            new DeviceRef("other", "truck-7"), MgmtFixture.NOW, MgmtFixture.NOW.plusSeconds(60), 1);
    assertRejected(f.signer().sign(r), RejectReason.WRONG_TARGET);
  }

  @Test
  void handle_operatorOfAnotherCa_untrustedSigner() throws Exception {
    // given an operator certified by a different CA with the same fleet name
    FleetCa rogue = FleetCa.init(dir.resolve("rogue"), "acme", f.clock);
    OperatorCredentials mallory =
        OperatorCredentials.issue(rogue, "mallory", dir.resolve("mallory"));
    Bytes req =
        new RequestSigner(mallory, f.clock)
            .sign(MgmtOp.CONFIG, f.ref, texts("a.b", "1"), Duration.ofMinutes(5));

    assertRejected(req, RejectReason.UNTRUSTED_SIGNER);
  }

  @Test
  void handle_revokedOperator_revokedKey() throws Exception {
    // given the CA revoked alice and the device received the CRL from bob
    OperatorCredentials bob = OperatorCredentials.issue(f.ca, "bob", dir.resolve("bob"));
    var crl =
        f.ca.revoke(f.operator.certificate().getSerialNumber(), FleetCa.REASON_KEY_COMPROMISE);
    Bytes revoke =
        new RequestSigner(bob, f.clock)
            .sign(
                MgmtOp.REVOKE,
                f.ref,
                java.util.Map.of("crl", new CborBytes(Certificates.der(crl))),
                Duration.ofMinutes(5));
    assertThat(f.service.handle(revoke).response().ok()).isTrue();
    f.hooks.evidence.clear();

    assertRejected(f.request(MgmtOp.CONFIG, texts("a.b", "1")), RejectReason.REVOKED_KEY);
  }

  @Test
  void handle_signedByDeviceCertificate_notProvisioningKey() throws Exception {
    // given a key with a valid fleet certificate that is a device certificate, not a provisioning
    // one
    var deviceKey = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    var cert =
        f.ca.issueDevice(CsrBuilder.build(deviceKey, new DeviceRef("acme", "truck-9")), "truck-9");
    MgmtRequest r =
        new MgmtRequest(
            "config",
            f.ref,
            1,
            MgmtFixture.NOW,
            MgmtFixture.NOW.plusSeconds(60),
            Certificates.der(cert),
            texts("a.b", "1"));

    assertRejected(
        CoseSign1.sign(deviceKey, r.encode()).encoded(), RejectReason.NOT_PROVISIONING_KEY);
  }

  @Test
  void handle_garbage_malformed() {
    assertRejected(Bytes.of((byte) 0xff, (byte) 0x00, (byte) 0x13), RejectReason.MALFORMED);
  }

  @Test
  void handle_cosePayloadNotARequest_malformed() {
    Bytes req = CoseSign1.sign(f.operator.key(), Bytes.of((byte) 0x01)).encoded();
    assertRejected(req, RejectReason.MALFORMED);
  }

  @Test
  void handle_signerCertGarbage_malformed() {
    MgmtRequest r =
        new MgmtRequest(
            "config",
            f.ref,
            1,
            MgmtFixture.NOW,
            MgmtFixture.NOW.plusSeconds(60),
            Bytes.of((byte) 0x30, (byte) 0x03, (byte) 1, (byte) 2, (byte) 3),
            texts("a.b", "1"));
    assertRejected(f.signer().sign(r), RejectReason.MALFORMED);
  }

  @Test
  void handle_oversize_rejectedBeforeDecoding() {
    assertRejected(Bytes.wrap(new byte[MgmtRequest.MAX_ENCODED + 1]), RejectReason.OVERSIZE);
  }

  @Test
  void handle_unknownOp_unsupported() {
    assertRejected(
        f.signer().sign(validConfig(1).withOp("format-disk")), RejectReason.UNSUPPORTED_OP);
  }

  @Test
  void handle_badConfigKey_badParams() throws Exception {
    assertRejected(f.request(MgmtOp.CONFIG, texts("Bad Key", "1")), RejectReason.BAD_PARAMS);
  }

  @Test
  void handle_beforeEnrollment_notEnrolled() throws Exception {
    MgmtFixture fresh = new MgmtFixture(dir.resolve("fresh"), false);
    f = fresh;
    assertRejected(fresh.request(MgmtOp.CONFIG, texts("a.b", "1")), RejectReason.NOT_ENROLLED);
  }
}
