package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import java.security.PublicKey;

/**
 * A signing key held in a store it never leaves: software memory, an encrypted file, or a PKCS#11
 * token.
 *
 * <p>Security guarantees: implementations never expose the private key, and their {@code toString}
 * never prints it. {@link #sign} is thread-safe.
 */
public interface DeviceKey {
  Kid kid();

  PublicKey publicKey();

  CoseAlgorithm algorithm();

  /**
   * Signs {@code toBeSigned} (for COSE, the Sig_structure bytes) and returns the COSE signature:
   * raw {@code r‖s} (64 bytes) for ES256 (RFC 9053 §2.1), the 64-byte Ed25519 signature for EdDSA.
   */
  Bytes sign(Bytes toBeSigned);
}
