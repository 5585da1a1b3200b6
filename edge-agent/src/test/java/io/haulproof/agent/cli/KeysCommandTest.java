package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.PublicKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haulproof keys show} in-process. */
class KeysCommandTest {
  private final PrintStream stdout = System.out;
  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path dataDir;

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(stdout);
    System.setErr(stderr);
  }

  @Test
  void show_existingKey_printsPemThenKid() {
    // given
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);

    // when
    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());

    // then
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(PublicKeys.toPem(key.publicKey()) + "kid " + key.kid().toHex() + System.lineSeparator());
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
    Files.writeString(dataDir.resolve("keys/device.pub.pem"),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    int code = Main.run("keys", "show", "--data-dir", dataDir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read public key");
  }

  @Test
  void show_missingDataDirOption_exits2() {
    assertThat(Main.run("keys", "show")).isEqualTo(2);
  }
}
