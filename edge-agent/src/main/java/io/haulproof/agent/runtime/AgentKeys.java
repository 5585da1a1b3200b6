package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.KeystoreConfig;
import io.haulproof.agent.provision.LightchainKeyStores;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.lightchain.crypto.Pkcs11KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The production agent's key stores from the {@code keystore} section: an encrypted key file or a
 * PKCS#11 token.
 *
 * <p>Security guarantees: {@code haulproof run} never writes a passphrase or PIN. The secret comes
 * from a configured file (0600), a systemd credential or (file keystore) the environment; when none
 * is there, startup fails with a {@link ConfigException} naming the setting. A passphrase file that
 * the demo or a benchmark left in clear beside the key is refused, not used.
 */
public final class AgentKeys {
  private final KeystoreConfig config;
  private final Map<String, String> env;

  public AgentKeys(KeystoreConfig config, Map<String, String> env) {
    this.config = config;
    this.env = env;
  }

  /** The data dir's own device key (an agent without management). */
  public DeviceKey deviceKey(Path dataDir) {
    Path keysDir = FileKeyStore.keysDir(dataDir);
    if (config.pkcs11()) {
      return new Pkcs11KeyStore(
              Path.of(config.module()),
              slotIndex(),
              pin(),
              "device",
              keysDir.resolve(FileKeyStore.PUBLIC_FILE))
          .openOrCreate();
    }
    return new FileKeyStore(keysDir, passphrase(keysDir), CoseAlgorithm.ES256).openOrCreate();
  }

  /** The identity's key stores, one alias each (an agent with management). */
  public LightchainKeyStores identityKeys(Path keysRoot) {
    if (config.pkcs11()) {
      return LightchainKeyStores.pkcs11(Path.of(config.module()), slotIndex(), pin(), keysRoot);
    }
    return LightchainKeyStores.files(keysRoot, passphrase(keysRoot), CoseAlgorithm.ES256);
  }

  private int slotIndex() {
    return config.slot() != null
        ? config.slot()
        : Pkcs11Slots.indexOfLabel(Path.of(config.module()), config.tokenLabel());
  }

  private PassphraseSource pin() {
    if (config.pinFile() != null) {
      return existing("keystore.pinFile", Path.of(config.pinFile()));
    }
    return PassphraseSource.credential(config.pinCredential(), env)
        .orElseThrow(
            () ->
                new ConfigException(
                    "keystore.pinFile",
                    "no token PIN: set keystore.pinFile (mode 0600) or load the systemd credential "
                        + config.pinCredential()
                        + " (LoadCredentialEncrypted=, $CREDENTIALS_DIRECTORY)"));
  }

  private PassphraseSource passphrase(Path keysDir) {
    if (config.passphraseFile() != null) {
      return existing("keystore.passphraseFile", Path.of(config.passphraseFile()));
    }
    Path clear = keysDir.resolve(PassphraseSource.FILE_NAME);
    return PassphraseSource.credential(PassphraseSource.CREDENTIAL_NAME, env)
        .or(() -> PassphraseSource.environment(env))
        .orElseThrow(
            () ->
                new ConfigException(
                    "keystore.passphraseFile",
                    "no key passphrase: load the systemd credential "
                        + PassphraseSource.CREDENTIAL_NAME
                        + " (LoadCredentialEncrypted=, $CREDENTIALS_DIRECTORY), set "
                        + PassphraseSource.ENV_VAR
                        + ", or name a 0600 file in keystore.passphraseFile"
                        + (Files.exists(clear)
                            ? "; " + clear + " (left by the demo or a benchmark) is not used"
                            : "")));
  }

  private static PassphraseSource existing(String key, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(key, "file " + file + " does not exist");
    }
    return PassphraseSource.file(file);
  }
}
