package io.haulproof.lightchain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.files.DurableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyStoreTest {
  private static final Bytes PAYLOAD = Bytes.of((byte) 1, (byte) 2);

  @TempDir Path dir;

  private FileKeyStore store(String pass) {
    return new FileKeyStore(
        dir.resolve("keys"), PassphraseSource.of(pass.toCharArray()), CoseAlgorithm.ES256);
  }

  @Test
  void openOrCreate_newDir_writesKeyFile0600AndPublicPem() throws Exception {
    // when
    FileKeyStore store = store("correct horse");
    DeviceKey key = store.openOrCreate();

    // then
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys"))))
        .isEqualTo("rwx------");
    assertThat(Files.readString(store.keyFile()))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(store.publicKey()).contains(key.publicKey());
    assertThat(Kid.of(store.publicKey().orElseThrow())).isEqualTo(key.kid());
  }

  @Test
  void openOrCreate_existingKey_reopensSameKeyThatVerifies() {
    // given
    DeviceKey created = store("pw-1").openOrCreate();
    CoseSign1 signed = CoseSign1.sign(created, PAYLOAD);

    // when
    DeviceKey reopened = store("pw-1").openOrCreate();

    // then
    assertThat(reopened.kid()).isEqualTo(created.kid());
    CoseSign1.sign(reopened, PAYLOAD).verify(created.publicKey());
    signed.verify(reopened.publicKey());
  }

  @Test
  void openOrCreate_wrongPassphrase_throwsWithoutLeaking() {
    // given
    store("right").openOrCreate();

    // when / then
    assertThatThrownBy(() -> store("wrong").openOrCreate())
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining("wrong passphrase")
        .hasMessageNotContaining("right");
  }

  @Test
  void openOrCreate_keyFileWorldReadable_refused() throws Exception {
    // given
    FileKeyStore store = store("pw");
    store.openOrCreate();
    Files.setPosixFilePermissions(store.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

    // when / then
    assertThatThrownBy(store::openOrCreate)
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining("has mode rw-r--r--, want rw------- (0600)");
  }

  @Test
  void openOrCreate_publicPemOfAnotherKey_refused() throws Exception {
    // given
    FileKeyStore store = store("pw");
    DeviceKey key = store.openOrCreate();
    SoftwareDeviceKey other = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Files.writeString(store.publicFile(), PublicKeys.toPem(other.publicKey()));

    // when / then
    assertThatThrownBy(store::openOrCreate)
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining(
            "has kid " + other.kid() + " but the private key's kid is " + key.kid());
  }

  @Test
  void publicKey_withoutPassphrase_readable() {
    // given
    DeviceKey key = store("pw").openOrCreate();
    FileKeyStore locked =
        new FileKeyStore(
            dir.resolve("keys"),
            () -> {
              throw new AssertionError("passphrase must not be needed");
            },
            CoseAlgorithm.ES256);

    // when / then
    assertThat(locked.publicKey()).contains(key.publicKey());
    assertThat(FileKeyStore.readPublicKey(dir)).contains(key.publicKey());
  }

  @Test
  void publicKey_noKeyYet_empty() {
    assertThat(store("pw").publicKey()).isEmpty();
    assertThat(FileKeyStore.readPublicKey(dir)).isEmpty();
  }

  @Test
  void toString_deviceKey_showsKidOnly() {
    SoftwareDeviceKey key = (SoftwareDeviceKey) store("pw").openOrCreate();
    assertThat(key.toString()).isEqualTo("SoftwareDeviceKey[ES256, kid " + key.kid() + "]");
  }

  @Test
  void resolve_credentialBeforeEnvBeforeFile() throws Exception {
    // given
    Path creds = Files.createDirectory(dir.resolve("creds"));
    Files.writeString(creds.resolve(PassphraseSource.CREDENTIAL_NAME), "from-credential\n");
    Path keys = Files.createDirectory(dir.resolve("k"));
    Files.writeString(keys.resolve(PassphraseSource.FILE_NAME), "from-file\n");
    Files.setPosixFilePermissions(
        keys.resolve(PassphraseSource.FILE_NAME), DurableFiles.OWNER_ONLY);

    // when / then
    assertThat(
            PassphraseSource.resolve(
                    keys,
                    Map.of(
                        "CREDENTIALS_DIRECTORY",
                        creds.toString(),
                        PassphraseSource.ENV_VAR,
                        "from-env"))
                .orElseThrow()
                .passphrase())
        .isEqualTo("from-credential".toCharArray());
    assertThat(
            PassphraseSource.resolve(keys, Map.of(PassphraseSource.ENV_VAR, "from-env"))
                .orElseThrow()
                .passphrase())
        .isEqualTo("from-env".toCharArray());
    assertThat(PassphraseSource.resolve(keys, Map.of()).orElseThrow().passphrase())
        .isEqualTo("from-file".toCharArray());
    assertThat(PassphraseSource.resolve(dir.resolve("none"), Map.of())).isEmpty();
  }

  @Test
  void resolveOrCreate_nothingConfigured_createsRandom0600File() throws Exception {
    // when
    Path keys = dir.resolve("keys");
    char[] first = PassphraseSource.resolveOrCreate(keys, Map.of()).passphrase();
    char[] again = PassphraseSource.resolveOrCreate(keys, Map.of()).passphrase();

    // then
    assertThat(first).hasSizeGreaterThanOrEqualTo(40).isEqualTo(again);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve("passphrase"))))
        .isEqualTo("rw-------");
  }

  @Test
  void resolve_passphraseFileGroupReadable_refused() throws Exception {
    // given
    Path keys = Files.createDirectory(dir.resolve("k2"));
    Files.writeString(keys.resolve(PassphraseSource.FILE_NAME), "pw\n");
    Files.setPosixFilePermissions(
        keys.resolve(PassphraseSource.FILE_NAME), PosixFilePermissions.fromString("rw-r-----"));

    // when / then
    assertThatThrownBy(() -> PassphraseSource.resolve(keys, Map.of()).orElseThrow().passphrase())
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining("want rw------- (0600)");
  }

  @Test
  void openOrCreate_dataDirStatic_createsAndReopens() {
    DeviceKey a = FileKeyStore.openOrCreate(dir);
    DeviceKey b = FileKeyStore.openOrCreate(dir);
    assertThat(b.kid()).isEqualTo(a.kid());
    assertThat(Files.exists(dir.resolve("keys/device.p8"))).isTrue();
  }
}
