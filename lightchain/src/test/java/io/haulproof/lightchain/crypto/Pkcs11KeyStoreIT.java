package io.haulproof.lightchain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pkcs11KeyStore} against a real SoftHSM2 token that this test initialises in its own token
 * directory ({@code SOFTHSM2_CONF} is set by Failsafe to a file this test writes).
 */
class Pkcs11KeyStoreIT {
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final String PIN = "5678-it";

  @TempDir static Path tokens;
  @TempDir Path dataDir;

  @BeforeAll
  static void initToken() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertThat(conf).as("SOFTHSM2_CONF must be set by Failsafe (lightchain/pom.xml)").isNotBlank();
    Files.createDirectories(Path.of(conf).getParent());
    Files.writeString(
        Path.of(conf),
        "directories.tokendir = "
            + tokens
            + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\n");
    String out =
        run(
            List.of(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                "haulproof-it",
                "--so-pin",
                "1234-so",
                "--pin",
                PIN));
    assertThat(out).contains("has been initialized");
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(cmd.get(0) + " did not finish in 60 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(cmd.get(0) + " output: " + out).isZero();
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  private Pkcs11KeyStore store(String pin, String alias) {
    return new Pkcs11KeyStore(
        LIBRARY,
        0,
        PassphraseSource.of(pin.toCharArray()),
        alias,
        dataDir.resolve("keys/device.pub.pem"));
  }

  @Test
  void openOrCreate_freshToken_signsCoseThatVerifiesAndReopensSameKey() {
    // given
    Pkcs11KeyStore store = store(PIN, "device-a");

    // when
    DeviceKey key = store.openOrCreate();
    CoseSign1 signed = CoseSign1.sign(key, Bytes.of((byte) 42));
    DeviceKey reopened = store(PIN, "device-a").openOrCreate();

    // then
    assertThat(key.algorithm()).isEqualTo(CoseAlgorithm.ES256);
    CoseSign1.decode(signed.encoded()).verify(key.publicKey());
    assertThat(reopened.kid()).isEqualTo(key.kid());
    CoseSign1.sign(reopened, Bytes.of((byte) 43)).verify(key.publicKey());
    assertThat(store.publicKey()).contains(key.publicKey());
    assertThat(key.toString()).isEqualTo("Pkcs11DeviceKey[ES256, kid " + key.kid() + "]");
  }

  @Test
  void openOrCreate_generatedKey_isSensitiveAndNeverExtractable() throws Exception {
    // given
    Pkcs11DeviceKey key = (Pkcs11DeviceKey) store(PIN, "device-b").openOrCreate();

    // when
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "pkcs11-tool",
                "--module",
                LIBRARY.toString(),
                "--login",
                "--pin",
                PIN,
                "--list-objects",
                "--type",
                "privkey"));
    String listing = run(cmd);

    // then: the JDK sees no key material, and the token reports the attributes
    assertThat(key.handle().getEncoded()).isNull();
    String id = Bytes.wrap("device-b".getBytes(StandardCharsets.US_ASCII)).toHex();
    int at = listing.indexOf("ID:         " + id);
    assertThat(at).as("private key with CKA_ID %s in:%n%s", id, listing).isPositive();
    String object =
        listing.substring(at, Math.min(listing.length(), listing.indexOf("Access:", at) + 80));
    assertThat(object)
        .contains("Access:     sensitive, always sensitive, never extractable, local");
  }

  @Test
  void openOrCreate_wrongPin_throwsKeyStoreException() {
    // given: a key, and the process logged out again (login state is per process)
    Pkcs11KeyStore good = store(PIN, "device-c");
    good.openOrCreate();
    good.logout();

    // when / then
    assertThatThrownBy(() -> store("0000", "device-c").openOrCreate())
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining("cannot open PKCS#11 key device-c");
  }
}
