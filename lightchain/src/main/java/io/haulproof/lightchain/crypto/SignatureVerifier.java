package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Verifies ES256 (raw {@code r‖s}) and Ed25519 signatures with Bouncy Castle's lightweight API.
 *
 * <p>Security guarantees: {@link #verify} returns normally only for a valid signature by this key;
 * every failure throws {@link VerificationException} with the reason. ES256 signatures must be
 * exactly 64 bytes with {@code r} and {@code s} in {@code [1, n-1]} (high {@code s} is accepted, as
 * RFC 9053 does not require low-S); public keys must be valid points of the named curve P-256, or
 * Ed25519 keys. Instances are immutable and thread-safe; create one per key and reuse it, since
 * parsing the key costs more than a verification.
 */
public final class SignatureVerifier {
  private final PublicKey publicKey;
  private final CoseAlgorithm algorithm;
  private final AsymmetricKeyParameter params;
  private final Kid kid;

  private SignatureVerifier(
      PublicKey publicKey, CoseAlgorithm algorithm, AsymmetricKeyParameter params) {
    this.publicKey = publicKey;
    this.algorithm = algorithm;
    this.params = params;
    this.kid = Kid.of(publicKey);
  }

  /**
   * A verifier for {@code key}.
   *
   * @throws VerificationException if the key is not a valid P-256 or Ed25519 public key
   */
  public static SignatureVerifier of(PublicKey key) {
    Bytes spki = PublicKeys.spki(key);
    CoseAlgorithm alg = PublicKeys.algorithmOf(spki);
    AsymmetricKeyParameter p;
    try {
      p = PublicKeyFactory.createKey(spki.toByteArray());
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new VerificationException("invalid " + alg + " public key: " + e.getMessage(), e);
    }
    if (alg == CoseAlgorithm.ES256 && !(p instanceof ECPublicKeyParameters)
        || alg == CoseAlgorithm.EDDSA && !(p instanceof Ed25519PublicKeyParameters)) {
      throw new VerificationException(
          "unexpected key parameters " + p.getClass().getSimpleName() + " for " + alg);
    }
    return new SignatureVerifier(key, alg, p);
  }

  /** Verifies with a one-off verifier; prefer {@link #of} and reuse for many signatures. */
  public static void verify(PublicKey key, CoseAlgorithm alg, Bytes message, Bytes signature) {
    of(key).verify(alg, message, signature);
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public CoseAlgorithm algorithm() {
    return algorithm;
  }

  public Kid kid() {
    return kid;
  }

  /**
   * Verifies a signature claimed to be made with {@code alg}.
   *
   * @throws VerificationException if {@code alg} is not this key's algorithm or the signature is
   *     invalid
   */
  public void verify(CoseAlgorithm alg, Bytes message, Bytes signature) {
    if (alg != algorithm) {
      throw new VerificationException(
          "algorithm " + alg + " does not match the " + algorithm + " key " + kid);
    }
    verify(message, signature);
  }

  /**
   * Verifies {@code signature} over {@code message} with this key's algorithm.
   *
   * @throws VerificationException if the signature is invalid
   */
  public void verify(Bytes message, Bytes signature) {
    if (signature.length() != algorithm.signatureLength()) {
      throw new VerificationException(
          "wrong "
              + algorithm
              + " signature length "
              + signature.length()
              + ", want "
              + algorithm.signatureLength());
    }
    if (algorithm == CoseAlgorithm.ES256) {
      verifyEcdsa(message, signature);
    } else {
      verifyEd25519(message, signature);
    }
  }

  private void verifyEcdsa(Bytes message, Bytes signature) {
    ECPublicKeyParameters pub = (ECPublicKeyParameters) params;
    BigInteger n = pub.getParameters().getN();
    byte[] sig = signature.toByteArray();
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    if (r.signum() == 0 || r.compareTo(n) >= 0) {
      throw new VerificationException("ES256 signature r out of range [1, n-1]");
    }
    if (s.signum() == 0 || s.compareTo(n) >= 0) {
      throw new VerificationException("ES256 signature s out of range [1, n-1]");
    }
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, pub);
    byte[] digest = Hash.sha256(message).toByteArray();
    if (!signer.verifySignature(digest, r, s)) {
      throw new VerificationException("ES256 signature does not verify with key " + kid);
    }
  }

  private void verifyEd25519(Bytes message, Bytes signature) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(false, params);
    byte[] m = message.toByteArray();
    signer.update(m, 0, m.length);
    if (!signer.verifySignature(signature.toByteArray())) {
      throw new VerificationException("EdDSA signature does not verify with key " + kid);
    }
  }
}
