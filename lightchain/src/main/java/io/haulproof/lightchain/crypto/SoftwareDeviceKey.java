package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/**
 * A device key held in process memory, signing with Bouncy Castle's lightweight API: ES256 with
 * deterministic nonces (RFC 6979) and low-S, or Ed25519.
 *
 * <p>Security guarantees: the private key is only reachable inside this package (for the encrypted
 * file store); {@link #toString()} shows the algorithm and kid only. {@link #sign} is thread-safe.
 */
public final class SoftwareDeviceKey implements DeviceKey {
  static final ECNamedDomainParameters P256 = p256();

  private final AsymmetricKeyParameter privateKey;
  private final PublicKey publicKey;
  private final CoseAlgorithm algorithm;
  private final Kid kid;

  private SoftwareDeviceKey(
      AsymmetricKeyParameter privateKey, PublicKey publicKey, CoseAlgorithm algorithm) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
    this.kid = Kid.of(publicKey);
  }

  /**
   * P-256 from {@link CustomNamedCurves}: Bouncy Castle's specialised field arithmetic. The generic
   * curve from {@code ECNamedCurveTable} signs about 5× slower (measured here, bench/lc-crypto.md).
   */
  private static ECNamedDomainParameters p256() {
    X9ECParameters x9 = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
    return new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, x9);
  }

  /** A fresh random key for {@code alg}. */
  public static SoftwareDeviceKey generate(CoseAlgorithm alg) {
    return generate(alg, new SecureRandom());
  }

  /** A key generated from {@code random}; tests pass a seeded generator for reproducible keys. */
  public static SoftwareDeviceKey generate(CoseAlgorithm alg, SecureRandom random) {
    if (alg == CoseAlgorithm.ES256) {
      ECKeyPairGenerator gen = new ECKeyPairGenerator();
      gen.init(new ECKeyGenerationParameters(P256, random));
      AsymmetricCipherKeyPair kp = gen.generateKeyPair();
      return new SoftwareDeviceKey(kp.getPrivate(), PublicKeys.fromParameters(kp.getPublic()), alg);
    }
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(random);
    return new SoftwareDeviceKey(priv, PublicKeys.fromParameters(priv.generatePublicKey()), alg);
  }

  /**
   * A key from a PKCS#8 PrivateKeyInfo holding a P-256 or Ed25519 private key.
   *
   * @throws IllegalArgumentException if the key is of another kind or malformed
   */
  public static SoftwareDeviceKey fromPrivateKeyInfo(PrivateKeyInfo info) {
    AsymmetricKeyParameter p;
    try {
      p = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable private key: " + e.getClass().getSimpleName());
    }
    if (p instanceof ECPrivateKeyParameters ec) {
      if (!ec.getParameters().getCurve().equals(P256.getCurve())
          || !ec.getParameters().getG().equals(P256.getG())) {
        throw new IllegalArgumentException("private key is not on P-256");
      }
      ECPrivateKeyParameters named = new ECPrivateKeyParameters(ec.getD(), P256);
      ECPublicKeyParameters pub =
          new ECPublicKeyParameters(P256.getG().multiply(ec.getD()).normalize(), P256);
      return new SoftwareDeviceKey(named, PublicKeys.fromParameters(pub), CoseAlgorithm.ES256);
    } else if (p instanceof Ed25519PrivateKeyParameters ed) {
      return new SoftwareDeviceKey(
          ed, PublicKeys.fromParameters(ed.generatePublicKey()), CoseAlgorithm.EDDSA);
    }
    throw new IllegalArgumentException(
        "unsupported private key type " + p.getClass().getSimpleName());
  }

  /** The PKCS#8 form of the private key, for the encrypted file store only. */
  PrivateKeyInfo privateKeyInfo() {
    try {
      return PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode private key", e);
    }
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
    return algorithm;
  }

  @Override
  public Bytes sign(Bytes toBeSigned) {
    if (algorithm == CoseAlgorithm.ES256) {
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      signer.init(true, privateKey);
      BigInteger[] rs = signer.generateSignature(Hash.sha256(toBeSigned).toByteArray());
      BigInteger n = P256.getN();
      BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
      return EcdsaSignatures.raw(rs[0], s);
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    byte[] m = toBeSigned.toByteArray();
    signer.update(m, 0, m.length);
    return Bytes.wrap(signer.generateSignature());
  }

  @Override
  public String toString() {
    return "SoftwareDeviceKey[" + algorithm + ", kid " + kid + "]";
  }
}
