package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.EcdsaSignatures;
import io.haulproof.lightchain.crypto.FileKeyStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks {@code keys show} and our COSE signatures with OpenSSL: the PEM parses, the kid is
 * SHA-256 over the DER OpenSSL produces, and a COSE signature verifies with {@code openssl dgst
 * -sha256 -verify} over the Sig_structure once r‖s is converted to DER.
 */
class KeysCommandIT {
  @TempDir Path dir;

  private record Result(int exit, byte[] stdout) {
    String text() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  private static Result openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("openssl did not finish in 60 s");
      }
      return new Result(p.exitValue(), out);
    } finally {
      p.destroyForcibly();
    }
  }

  private String keysShow(Path dataDir) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run("keys", "show", "--data-dir", dataDir.toString())).isZero();
    } finally {
      System.setOut(stdout);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keysShow_pemAndKid_agreeWithOpenssl() throws Exception {
    // given
    Path dataDir = dir.resolve("data");
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);
    String shown = keysShow(dataDir);
    String pem = shown.substring(0, shown.indexOf("kid "));
    Path pemFile = Files.writeString(dir.resolve("pub.pem"), pem);

    // when
    Result der = openssl("pkey", "-pubin", "-in", pemFile.toString(), "-outform", "DER");

    // then
    assertThat(der.exit()).isZero();
    assertThat(Bytes.wrap(der.stdout())).isEqualTo(Bytes.wrap(key.publicKey().getEncoded()));
    String kidHex = Hash.sha256(der.stdout()).toHex().substring(0, 32);
    assertThat(shown).endsWith("kid " + kidHex + System.lineSeparator());
  }

  @Test
  void coseSignature_convertedToDer_verifiesWithOpensslAndTamperFails() throws Exception {
    // given
    Path dataDir = dir.resolve("data");
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);
    CoseSign1 cose =
        CoseSign1.decode(
            CoseSign1.sign(key, Bytes.wrap("lift 1".getBytes(StandardCharsets.UTF_8))).encoded());
    Path pemFile = Files.writeString(dir.resolve("pub.pem"), keysShow(dataDir).split("kid ")[0]);
    Path tbs = Files.write(dir.resolve("tbs.bin"), cose.sigStructure().toByteArray());
    Path sig =
        Files.write(
            dir.resolve("sig.der"), EcdsaSignatures.rawToDer(cose.signature()).toByteArray());
    byte[] tampered = cose.sigStructure().toByteArray();
    tampered[tampered.length - 1] ^= 1;
    Path bad = Files.write(dir.resolve("tampered.bin"), tampered);

    // when
    Result ok =
        openssl(
            "dgst",
            "-sha256",
            "-verify",
            pemFile.toString(),
            "-signature",
            sig.toString(),
            tbs.toString());
    Result fail =
        openssl(
            "dgst",
            "-sha256",
            "-verify",
            pemFile.toString(),
            "-signature",
            sig.toString(),
            bad.toString());

    // then
    assertThat(ok.exit()).isZero();
    assertThat(ok.text()).contains("Verified OK");
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.text()).contains("Verification failure");
  }

  @Test
  void keyFile_decryptsWithOpensslToSamePublicKey() throws Exception {
    // given: the demo layout, passphrase file beside the key
    Path dataDir = dir.resolve("data");
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);
    Path keys = FileKeyStore.keysDir(dataDir);

    // when
    Result pub =
        openssl(
            "pkey",
            "-in",
            keys.resolve("device.p8").toString(),
            "-passin",
            "file:" + keys.resolve("passphrase"),
            "-pubout",
            "-outform",
            "DER");

    // then
    assertThat(pub.exit()).isZero();
    assertThat(Bytes.wrap(pub.stdout())).isEqualTo(Bytes.wrap(key.publicKey().getEncoded()));
  }
}
