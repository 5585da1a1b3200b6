package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.testing.CapturedOutput;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.PublicKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code haulproof keys show} in-process. */
class KeysCommandTest {
  @RegisterExtension final CapturedOutput captured = new CapturedOutput();
  private final ByteArrayOutputStream out = captured.out();
  private final ByteArrayOutputStream err = captured.err();

  @TempDir Path dataDir;
  @TempDir Path caDir;

  @Test
  void show_existingKey_printsPemThenKid() {
    // given
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);

    // when
    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());

    // then
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            PublicKeys.toPem(key.publicKey())
                + "kid "
                + key.kid().toHex()
                + System.lineSeparator());
  }

  @Test
  void show_noKey_exits2WithReason() {
    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no device key in");
  }

  @Test
  void show_corruptPem_exits2() throws Exception {
    Files.createDirectories(dataDir.resolve("keys"));
    Files.writeString(
        dataDir.resolve("keys/device.pub.pem"),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read public key");
  }

  @Test
  void show_missingDataDirOption_exits2() {
    assertThat(Main.run("keys", "show")).isEqualTo(2);
  }

  @Test
  void show_managedIdentityRotated_printsTheActiveKeyNotTheChainsFirstKey() throws Exception {
    // given a managed agent: the log opened with the identity's first key, then the key rotated
    java.time.Clock clock = java.time.Clock.systemUTC();
    io.haulproof.agent.provision.DeviceRef ref =
        new io.haulproof.agent.provision.DeviceRef("acme", "truck-7");
    io.haulproof.agent.provision.FleetCa ca =
        io.haulproof.agent.provision.FleetCa.init(caDir, "acme", clock);
    io.haulproof.agent.provision.DeviceIdentity identity =
        io.haulproof.agent.provision.DeviceIdentity.open(
            dataDir.resolve("provision/identity"),
            ref,
            ca.root(),
            new io.haulproof.agent.mgmt.MemoryKeyStore(),
            clock);
    DeviceKey first = identity.activeKey();
    identity.installCertificate(
        java.util.List.of(
            ca.issueDevice(
                io.haulproof.agent.provision.CsrBuilder.build(first, ref), ref.device())));
    io.haulproof.lightchain.Lightchain.open(
            dataDir,
            first,
            "truck-7",
            io.haulproof.lightchain.LightchainOptions.defaults("haulproof.io/v1/acme/truck-7"))
        .close();
    var csr = identity.beginRotation();
    identity.switchToPending(ca.issueDevice(csr, ref.device()));
    identity.confirmSwitch();
    DeviceKey active = identity.activeKey();

    // when
    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());

    // then
    assertThat(active.kid()).isNotEqualTo(first.kid());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            PublicKeys.toPem(active.publicKey())
                + "kid "
                + active.kid().toHex()
                + System.lineSeparator());
    // the chain's first key stays where verification starts from
    assertThat(PublicKeys.fromPem(Files.readString(dataDir.resolve("keys/device.pub.pem"))))
        .isEqualTo(first.publicKey());
  }

  @Test
  void show_managedIdentityRotationRolledBack_printsTheRestoredKey() throws Exception {
    java.time.Clock clock = java.time.Clock.systemUTC();
    io.haulproof.agent.provision.DeviceRef ref =
        new io.haulproof.agent.provision.DeviceRef("acme", "truck-7");
    io.haulproof.agent.provision.FleetCa ca =
        io.haulproof.agent.provision.FleetCa.init(caDir, "acme", clock);
    io.haulproof.agent.provision.DeviceIdentity identity =
        io.haulproof.agent.provision.DeviceIdentity.open(
            dataDir.resolve("provision/identity"),
            ref,
            ca.root(),
            new io.haulproof.agent.mgmt.MemoryKeyStore(),
            clock);
    DeviceKey first = identity.activeKey();
    identity.installCertificate(
        java.util.List.of(
            ca.issueDevice(
                io.haulproof.agent.provision.CsrBuilder.build(first, ref), ref.device())));
    identity.switchToPending(ca.issueDevice(identity.beginRotation(), ref.device()));
    identity.rollbackSwitch();

    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .endsWith("kid " + first.kid().toHex() + System.lineSeparator());
  }
}
