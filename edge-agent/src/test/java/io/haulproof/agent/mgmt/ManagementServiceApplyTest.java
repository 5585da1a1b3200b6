package io.haulproof.agent.mgmt;

import static io.haulproof.agent.mgmt.MgmtFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.CsrChecks;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepted requests: applied atomically, logged, and rolled back when the runtime or the log
 * refuses.
 */
class ManagementServiceApplyTest {
  @TempDir Path dir;
  MgmtFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new MgmtFixture(dir, true);
  }

  @Test
  void config_valid_appliedSnapshottedAndLogged() throws Exception {
    // given
    Bytes req = f.request(MgmtOp.CONFIG, texts("scale.rear.filter", "8", "uplink.qos", "1"));

    // when
    MgmtResponse res = f.service.handle(req).response();

    // then
    assertThat(res.ok()).as("%s", res.toMap()).isTrue();
    assertThat(f.service.currentConfig().version()).isEqualTo(1);
    assertThat(f.service.currentConfig().values()).containsEntry("scale.rear.filter", "8");
    assertThat(f.hooks.applied).hasSize(1);
    ConfigBody logged = (ConfigBody) f.hooks.evidence.get(0);
    assertThat(logged.section()).isEqualTo("config");
    assertThat(logged.request()).contains(req);
    assertThat(Hash.sha256(logged.content())).isEqualTo(f.service.currentConfig().hash());
    f.restart();
    assertThat(f.service.currentConfig().values()).containsEntry("uplink.qos", "1");
  }

  @Test
  void config_rollback_restoresOldValuesAsNewVersion() throws Exception {
    // given two applied versions
    f.service.handle(f.request(MgmtOp.CONFIG, texts("a.x", "1")));
    f.service.handle(f.request(MgmtOp.CONFIG, texts("a.x", "2", "a.y", "3")));

    // when
    MgmtResponse res =
        f.service.handle(f.request(MgmtOp.CONFIG, texts("@rollback", "1"))).response();

    // then
    assertThat(res.ok()).as("%s", res.toMap()).isTrue();
    assertThat(f.service.currentConfig().version()).isEqualTo(3);
    assertThat(f.service.currentConfig().values()).containsExactlyEntriesOf(Map.of("a.x", "1"));
    assertThat(f.hooks.evidence).hasSize(3);
  }

  @Test
  void config_runtimeRefuses_rolledBackAndNotLogged() throws Exception {
    // given
    f.service.handle(f.request(MgmtOp.CONFIG, texts("a.x", "1")));
    f.hooks.refuseConfig = true;

    // when
    MgmtResponse res =
        f.service.handle(f.request(MgmtOp.CONFIG, texts("refuse.me", "1"))).response();

    // then
    assertThat(res.reason()).isEqualTo(RejectReason.APPLY_FAILED);
    assertThat(res.detail()).contains("rolled back to 1");
    assertThat(f.service.currentConfig().version()).isEqualTo(1);
    assertThat(f.hooks.applied.get(f.hooks.applied.size() - 1).version()).isEqualTo(1);
    assertThat(f.hooks.evidence).hasSize(1);
    f.restart();
    assertThat(f.service.currentConfig().values()).doesNotContainKey("refuse.me");
  }

  @Test
  void config_logDown_rolledBack() throws Exception {
    f.hooks.failLog = true;
    MgmtResponse res = f.service.handle(f.request(MgmtOp.CONFIG, texts("a.x", "1"))).response();
    assertThat(res.reason()).isEqualTo(RejectReason.APPLY_FAILED);
    assertThat(f.service.currentConfig().version()).isZero();
  }

  @Test
  void calibrate_valid_loggedAsCalibrationSection() throws Exception {
    MgmtResponse res =
        f.service
            .handle(
                f.request(
                    MgmtOp.CALIBRATE, texts("scale", "rear", "zero", "1203", "span", "0.01025")))
            .response();

    assertThat(res.ok()).as("%s", res.toMap()).isTrue();
    assertThat(f.service.currentConfig().values())
        .containsEntry("calibration.rear.zero", "1203")
        .containsEntry("calibration.rear.span", "0.01025")
        .containsKey("calibration.rear.by");
    ConfigBody logged = (ConfigBody) f.hooks.evidence.get(0);
    assertThat(logged.section()).isEqualTo("calibration");
    assertThat(logged.previous()).isEmpty();
    assertThat(new String(logged.content().toByteArray()))
        .contains("\"calibration.rear.span\":\"0.01025\"");
  }

  @Test
  void calibrate_notANumber_badParams() throws Exception {
    MgmtResponse res =
        f.service
            .handle(f.request(MgmtOp.CALIBRATE, texts("scale", "rear", "zero", "lots")))
            .response();
    assertThat(res.reason()).isEqualTo(RejectReason.BAD_PARAMS);
    assertThat(f.service.currentConfig().version()).isZero();
  }

  @Test
  void rotateKey_beginThenCommit_switchesLogsAndRetiresOldKey() throws Exception {
    // given
    var oldKey = f.identity.activeKey();
    MgmtResponse begin =
        f.service.handle(f.request(MgmtOp.ROTATE_KEY, texts("step", "begin"))).response();
    assertThat(begin.ok()).as("%s", begin.toMap()).isTrue();
    var csr = CsrChecks.parse(Bytes.fromHex((String) begin.result().get("csr")));
    CoseSign1.decode(Bytes.fromHex((String) begin.result().get("proof")))
        .verify(oldKey.publicKey());
    var cert = f.ca.issueDevice(csr, f.ref.device());

    // when
    MgmtResponse commit =
        f.service
            .handle(
                f.request(
                    MgmtOp.ROTATE_KEY,
                    Map.of(
                        "step",
                        new io.haulproof.lightchain.cbor.CborText("commit"),
                        "cert",
                        new CborBytes(Certificates.der(cert)))))
            .response();

    // then
    assertThat(commit.ok()).as("%s", commit.toMap()).isTrue();
    assertThat(f.identity.activeKey().kid()).isNotEqualTo(oldKey.kid());
    assertThat(f.identity.activeKey().publicKey()).isEqualTo(cert.getPublicKey());
    assertThat(f.keys.size()).isEqualTo(1);
    assertThat(f.hooks.keys).containsExactly(f.identity.activeKey());
    KeyBody logged = (KeyBody) f.hooks.evidence.get(0);
    assertThat(logged.action()).isEqualTo(KeyAction.ROTATE);
    assertThat(logged.previousKid()).contains(oldKey.kid());
    // the rotated device still takes requests
    assertThat(f.service.handle(f.request(MgmtOp.INVENTORY, texts())).response().ok()).isTrue();
  }

  @Test
  void rotateKey_runtimeRefusesNewKey_rolledBackToOldKey() throws Exception {
    // given
    var oldKey = f.identity.activeKey();
    MgmtResponse begin =
        f.service.handle(f.request(MgmtOp.ROTATE_KEY, texts("step", "begin"))).response();
    var cert =
        f.ca.issueDevice(
            CsrChecks.parse(Bytes.fromHex((String) begin.result().get("csr"))), f.ref.device());
    f.hooks.refuseNextKey = true;

    // when
    MgmtResponse commit =
        f.service
            .handle(
                f.request(
                    MgmtOp.ROTATE_KEY,
                    Map.of(
                        "step",
                        new io.haulproof.lightchain.cbor.CborText("commit"),
                        "cert",
                        new CborBytes(Certificates.der(cert)))))
            .response();

    // then
    assertThat(commit.reason()).isEqualTo(RejectReason.APPLY_FAILED);
    assertThat(commit.detail()).contains("rolled back");
    assertThat(f.identity.activeKey().kid()).isEqualTo(oldKey.kid());
    assertThat(f.hooks.keys).last().isEqualTo(oldKey);
    assertThat(f.keys.size()).isEqualTo(1);
    // the ROTATE entry went in before the runtime refused; a REVOKE of the new kid says the
    // rotation did not happen
    assertThat(f.hooks.evidence)
        .extracting(b -> ((KeyBody) b).action())
        .containsExactly(
            io.haulproof.lightchain.entry.KeyAction.ROTATE,
            io.haulproof.lightchain.entry.KeyAction.REVOKE);
    assertThat(((KeyBody) f.hooks.evidence.get(1)).kid()).isNotEqualTo(oldKey.kid());
    assertThat(f.identity.enrolled()).isTrue();
  }

  @Test
  void rotateKey_certForAnotherKey_refusedNothingSwitched() throws Exception {
    var oldKey = f.identity.activeKey();
    f.service.handle(f.request(MgmtOp.ROTATE_KEY, texts("step", "begin")));
    var other =
        io.haulproof.lightchain.crypto.SoftwareDeviceKey.generate(
            io.haulproof.lightchain.crypto.CoseAlgorithm.ES256);
    var cert =
        f.ca.issueDevice(
            io.haulproof.agent.provision.CsrBuilder.build(other, f.ref), f.ref.device());

    MgmtResponse commit =
        f.service
            .handle(
                f.request(
                    MgmtOp.ROTATE_KEY,
                    Map.of(
                        "step",
                        new io.haulproof.lightchain.cbor.CborText("commit"),
                        "cert",
                        new CborBytes(Certificates.der(cert)))))
            .response();

    assertThat(commit.reason()).isEqualTo(RejectReason.BAD_PARAMS);
    assertThat(f.identity.activeKey().kid()).isEqualTo(oldKey.kid());
    assertThat(f.hooks.keys).isEmpty();
  }

  @Test
  void revoke_staleCrl_badParams() throws Exception {
    var first =
        f.ca.revoke(
            java.math.BigInteger.TEN, io.haulproof.agent.provision.FleetCa.REASON_SUPERSEDED);
    Map<String, io.haulproof.lightchain.cbor.CborValue> p =
        Map.of("crl", new CborBytes(Certificates.der(first)));
    assertThat(f.service.handle(f.request(MgmtOp.REVOKE, p)).response().ok()).isTrue();

    MgmtResponse again = f.service.handle(f.request(MgmtOp.REVOKE, p)).response();

    assertThat(again.reason()).isEqualTo(RejectReason.BAD_PARAMS);
    assertThat(again.detail()).contains("CRL number");
  }

  @Test
  void inventoryLogsReboot_answered() throws Exception {
    MgmtResponse inv = f.service.handle(f.request(MgmtOp.INVENTORY, texts())).response();
    assertThat(inv.result())
        .containsEntry("device", "truck-7")
        .containsEntry("enrolled", true)
        .containsEntry("firmware", "test-1.0");

    MgmtResponse logs = f.service.handle(f.request(MgmtOp.LOGS, texts("lines", "3"))).response();
    assertThat(logs.result())
        .containsEntry("lines", java.util.List.of("line 0", "line 1", "line 2"));

    ManagementService.Handled reboot = f.service.handle(f.request(MgmtOp.REBOOT, texts()));
    assertThat(reboot.response().ok()).isTrue();
    assertThat(f.hooks.reboots).hasValue(0);
    reboot.after().orElseThrow().run();
    assertThat(f.hooks.reboots).hasValue(1);
    assertThat(new String(inv.toJson().toByteArray()))
        .startsWith("{\"device\":\"truck-7\",\"op\":\"inventory\"");
  }
}
