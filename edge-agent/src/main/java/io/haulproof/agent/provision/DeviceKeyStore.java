package io.haulproof.agent.provision;

import io.haulproof.lightchain.crypto.DeviceKey;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the agent's signing keys live, by alias: a PKCS#11 token (SoftHSM2, TPM, secure element) or
 * encrypted PKCS#8 files (mode 0600). Private keys never leave the store; only {@link DeviceKey}
 * handles come out.
 */
public interface DeviceKeyStore {
  /** Generates a new key under {@code alias}; fails if the alias is taken. */
  DeviceKey create(String alias) throws IOException;

  Optional<DeviceKey> load(String alias) throws IOException;

  /** Destroys the key under {@code alias}; a missing alias is not an error. */
  void delete(String alias) throws IOException;
}
