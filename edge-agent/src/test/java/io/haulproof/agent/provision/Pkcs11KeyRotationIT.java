package io.haulproof.agent.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.PassphraseSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device identity on a real SoftHSM2 token: the key and its CSR are made on the token, enrollment
 * installs the certificate, and rotation destroys the old token key ({@code SOFTHSM2_CONF} is set
 * by Failsafe, edge-agent/pom.xml).
 */
class Pkcs11KeyRotationIT {
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final String PIN = "4321-mgmt";

  @TempDir static Path tokens;
  @TempDir Path dir;

  @BeforeAll
  static void initToken() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertThat(conf).as("SOFTHSM2_CONF must be set by Failsafe (edge-agent/pom.xml)").isNotBlank();
    Files.createDirectories(Path.of(conf).getParent());
    Files.writeString(
        Path.of(conf),
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    Process p =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                "haulproof-mgmt-it",
                "--so-pin",
                "1234-so",
                "--pin",
                PIN)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).contains("has been initialized");
  }

  @Test
  void rotation_onToken_newKeyCertifiedOldTokenKeyDestroyed() throws Exception {
    // given a device whose keys live on the token
    FleetCa ca = FleetCa.init(dir.resolve("ca"), "acme", Clock.systemUTC());
    DeviceRef ref = new DeviceRef("acme", "truck-7");
    LightchainKeyStores keys =
        LightchainKeyStores.pkcs11(
            LIBRARY, 0, PassphraseSource.of(PIN.toCharArray()), dir.resolve("keys"));
    DeviceIdentity id =
        DeviceIdentity.open(dir.resolve("identity"), ref, ca.root(), keys, Clock.systemUTC());
    id.installCertificate(
        List.of(ca.issueDevice(CsrBuilder.build(id.activeKey(), ref), "truck-7")));
    assertThat(tokenAliases()).contains("device-1");

    // when
    var csr = id.beginRotation();
    var next = id.switchToPending(ca.issueDevice(csr, "truck-7"));
    id.confirmSwitch();

    // then
    assertThat(tokenAliases()).contains("device-2").doesNotContain("device-1");
    DeviceIdentity reopened =
        DeviceIdentity.open(dir.resolve("identity"), ref, ca.root(), keys, Clock.systemUTC());
    assertThat(reopened.activeKey().kid()).isEqualTo(next.kid());
    assertThat(reopened.chain().get(0).getPublicKey()).isEqualTo(next.publicKey());
  }

  private static List<String> tokenAliases() throws IOException {
    Provider p =
        Security.getProvider("SunPKCS11")
            .configure("--name=haulproof-it-check\nlibrary=" + LIBRARY + "\nslotListIndex=0\n");
    try {
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, PIN.toCharArray());
      return java.util.Collections.list(ks.aliases());
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
