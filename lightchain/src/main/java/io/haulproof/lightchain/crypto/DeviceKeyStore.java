package io.haulproof.lightchain.crypto;

import java.security.PublicKey;
import java.util.Optional;

/**
 * Where the device key lives: an encrypted PKCS#8 file ({@link FileKeyStore}) or a PKCS#11 token
 * ({@link Pkcs11KeyStore}).
 *
 * <p>Security guarantees: the private key never leaves the store in clear; {@link #publicKey()}
 * needs no passphrase or PIN, because it reads the public PEM written beside the key.
 */
public interface DeviceKeyStore {
  /**
   * Opens the device key, creating it first if the store holds none.
   *
   * @throws KeyStoreException if the store cannot be opened or unlocked, or its files are
   *     inconsistent or exposed
   */
  DeviceKey openOrCreate();

  /** The device's public key, without unlocking anything; empty if no key was created yet. */
  Optional<PublicKey> publicKey();
}
