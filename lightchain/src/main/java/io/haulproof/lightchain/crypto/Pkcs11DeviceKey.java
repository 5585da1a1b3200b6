package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;

/**
 * An ES256 device key on a PKCS#11 token: signs with {@code SHA256withECDSA} on the token and
 * converts the DER result to raw {@code r‖s}.
 *
 * <p>Security guarantees: holds only a handle to the non-extractable token key; {@link #toString()}
 * shows the kid only. {@link #sign} is thread-safe (one {@link Signature} per call).
 */
final class Pkcs11DeviceKey implements DeviceKey {
  private final Provider provider;
  private final PrivateKey handle;
  private final PublicKey publicKey;
  private final Kid kid;

  Pkcs11DeviceKey(Provider provider, PrivateKey handle, PublicKey publicKey) {
    this.provider = provider;
    this.handle = handle;
    this.publicKey = publicKey;
    this.kid = Kid.of(publicKey);
  }

  @Override
  public Kid kid() {
    return kid;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public CoseAlgorithm algorithm() {
    return CoseAlgorithm.ES256;
  }

  /** The token's private key handle, for tests that check its attributes. */
  PrivateKey handle() {
    return handle;
  }

  @Override
  public Bytes sign(Bytes toBeSigned) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA", provider);
      s.initSign(handle);
      s.update(toBeSigned.toByteArray());
      return EcdsaSignatures.derToRaw(Bytes.wrap(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new KeyStoreException(
          "PKCS#11 signing with key " + kid + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Pkcs11DeviceKey[ES256, kid " + kid + "]";
  }
}
