package io.haulproof.agent.config;

import java.util.List;

/**
 * Where the device key lives and how its secret reaches the agent. {@code haulproof run} never
 * writes a passphrase or PIN: a missing secret is a startup error naming this section.
 *
 * @param type {@code file} (encrypted PKCS#8 under the data dir, the default) or {@code pkcs11} (a
 *     non-extractable key on a token: TPM, secure element, SoftHSM2)
 * @param passphraseFile file keystore: a file (mode 0600) holding the passphrase; without it the
 *     systemd credential {@code haulproof-key-pass} ({@code $CREDENTIALS_DIRECTORY}) or the
 *     environment variable {@code HAULPROOF_KEY_PASSPHRASE}
 * @param module pkcs11: path of the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param slot pkcs11: the slot's position in the module's slot list (0 = first); or {@code
 *     tokenLabel}
 * @param tokenLabel pkcs11: the token's label; or {@code slot}
 * @param pinFile pkcs11: a file (mode 0600) holding the user PIN; without it the systemd credential
 *     named {@code pinCredential}
 * @param pinCredential pkcs11: the systemd credential holding the PIN (default {@code
 *     haulproof-key-pin}, under {@code $CREDENTIALS_DIRECTORY})
 */
public record KeystoreConfig(
    String type,
    String passphraseFile,
    String module,
    Integer slot,
    String tokenLabel,
    String pinFile,
    String pinCredential) {
  public static final String DEFAULT_PIN_CREDENTIAL = "haulproof-key-pin";

  public KeystoreConfig {
    type = Check.oneOf("type", type, "file", List.of("file", "pkcs11"));
    if (type.equals("file")) {
      for (String[] k :
          new String[][] {
            {"module", module},
            {"tokenLabel", tokenLabel},
            {"pinFile", pinFile},
            {"pinCredential", pinCredential}
          }) {
        if (k[1] != null) {
          throw new ConfigException(k[0], "applies only to type pkcs11");
        }
      }
      if (slot != null) {
        throw new ConfigException("slot", "applies only to type pkcs11");
      }
    } else {
      Check.required("module", module);
      if (passphraseFile != null) {
        throw new ConfigException(
            "passphraseFile", "applies only to type file (a token takes pinFile)");
      }
      if ((slot == null) == (tokenLabel == null)) {
        throw new ConfigException("slot", "or tokenLabel is required with type pkcs11, not both");
      }
      if (slot != null) {
        Check.range("slot", slot, 0, 0, 1023);
      }
      pinCredential = Check.orDefault(pinCredential, DEFAULT_PIN_CREDENTIAL);
    }
  }

  /** The default: an encrypted key file whose passphrase comes from a credential. */
  public static KeystoreConfig defaults() {
    return new KeystoreConfig(null, null, null, null, null, null, null);
  }

  public boolean pkcs11() {
    return type.equals("pkcs11");
  }
}
