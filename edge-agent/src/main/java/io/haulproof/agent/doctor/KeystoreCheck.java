package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.KeyStoreException;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.lightchain.files.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file keystore (DATA/keys/device.p8): present, 0600, with its public key beside it; and, when
 * the doctor runs inside the service, the passphrase credential present. It never decrypts the key.
 */
final class KeystoreCheck implements DoctorCheck {
  /**
   * The credential id the unit's LoadCredentialEncrypted= delivers and FileKeyStore's passphrase
   * source reads.
   */
  static final String CREDENTIAL = PassphraseSource.CREDENTIAL_NAME;

  private final Map<String, String> env;

  KeystoreCheck(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    Path dataDir = config.device().dataPath();
    Path keyFile = FileKeyStore.keysDir(dataDir).resolve(FileKeyStore.KEY_FILE);
    List<Finding> out = new ArrayList<>();
    if (!Files.exists(keyFile)) {
      if (Files.isDirectory(dataDir) && !Files.isReadable(dataDir)) {
        out.add(
            Finding.fail(
                "keystore",
                "cannot look into " + dataDir + " (run the doctor as root or haulproof)"));
      } else {
        out.add(
            Finding.warn(
                "keystore",
                "no device key at "
                    + keyFile
                    + " yet: the agent creates it at its first start (or the key is on a PKCS#11 token)"));
      }
      return out;
    }
    try {
      Optional<String> exposure = SecretFiles.exposure(keyFile);
      if (exposure.isPresent()) {
        out.add(
            Finding.fail(
                "keystore", exposure.get() + " (the agent refuses it): chmod 600 " + keyFile));
        return out;
      }
      Optional<PublicKey> pub = FileKeyStore.readPublicKey(dataDir);
      if (pub.isEmpty()) {
        out.add(
            Finding.fail(
                "keystore",
                "public key " + FileKeyStore.PUBLIC_FILE + " is missing beside " + keyFile));
        return out;
      }
      out.add(
          Finding.ok("keystore", keyFile + " present, mode rw-------, kid " + Kid.of(pub.get())));
    } catch (IOException | KeyStoreException e) {
      out.add(Finding.fail("keystore", "cannot read " + keyFile + ": " + e.getMessage()));
      return out;
    }
    Path clear = keyFile.resolveSibling(PassphraseSource.FILE_NAME);
    if (Files.exists(clear)) {
      out.add(
          Finding.warn(
              "keystore",
              "the key's passphrase is stored in clear in "
                  + clear
                  + " (demo mode): seal it with systemd-creds as haulproof-key-pass, then delete that file"));
    }
    String credentials = env.get("CREDENTIALS_DIRECTORY");
    if (credentials != null && !Files.isReadable(Path.of(credentials, CREDENTIAL))) {
      out.add(
          Finding.fail(
              "keystore",
              "credential "
                  + CREDENTIAL
                  + " missing from "
                  + credentials
                  + ": check LoadCredentialEncrypted= and /etc/haulproof/credentials/"
                  + CREDENTIAL
                  + ".cred"));
    }
    return out;
  }
}
