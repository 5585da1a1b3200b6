package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Conversions between JDK public keys, SubjectPublicKeyInfo DER and PEM, limited to P-256 and
 * Ed25519 keys.
 */
public final class PublicKeys {
  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  private PublicKeys() {}

  /** The SubjectPublicKeyInfo DER of {@code key}. */
  public static Bytes spki(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der == null || !"X.509".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "public key has no SubjectPublicKeyInfo encoding: " + key.getFormat());
    }
    return Bytes.wrap(der);
  }

  /**
   * Parses SubjectPublicKeyInfo DER holding a P-256 (named curve) or Ed25519 key.
   *
   * @throws VerificationException if the DER is malformed, the algorithm or curve is not supported,
   *     or the point is invalid
   */
  public static PublicKey fromSpki(Bytes spkiDer) {
    CoseAlgorithm alg = algorithmOf(spkiDer);
    try {
      KeyFactory kf = KeyFactory.getInstance(alg == CoseAlgorithm.ES256 ? "EC" : "Ed25519");
      PublicKey key = kf.generatePublic(new X509EncodedKeySpec(spkiDer.toByteArray()));
      // Validates the point (on the curve, not infinity) through Bouncy Castle.
      SignatureVerifier.of(key);
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new VerificationException("invalid public key: " + e.getMessage(), e);
    }
  }

  /** The COSE algorithm a key of this SubjectPublicKeyInfo signs with. */
  public static CoseAlgorithm algorithmOf(Bytes spkiDer) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(spkiDer.toByteArray());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new VerificationException("malformed SubjectPublicKeyInfo: " + e.getMessage(), e);
    }
    if (info == null) {
      throw new VerificationException("malformed SubjectPublicKeyInfo: empty");
    }
    ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      Object params = info.getAlgorithm().getParameters();
      if (!SECObjectIdentifiers.secp256r1.equals(params)) {
        throw new VerificationException(
            "unsupported EC curve "
                + params
                + ", want named curve P-256 ("
                + SECObjectIdentifiers.secp256r1
                + ")");
      }
      return CoseAlgorithm.ES256;
    } else if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
      return CoseAlgorithm.EDDSA;
    }
    throw new VerificationException(
        "unsupported key algorithm " + oid + ", want id-ecPublicKey (P-256) or Ed25519");
  }

  /** The COSE algorithm {@code key} signs with. */
  public static CoseAlgorithm algorithmOf(PublicKey key) {
    return algorithmOf(spki(key));
  }

  /** The JDK public key for a Bouncy Castle lightweight public key. */
  static PublicKey fromParameters(AsymmetricKeyParameter params) {
    try {
      return fromSpki(
          Bytes.wrap(
              SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(params).getEncoded("DER")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode public key", e);
    }
  }

  /**
   * PEM ("PUBLIC KEY", RFC 7468 §13) of the key's SubjectPublicKeyInfo in 64-character lines,
   * ending in "\n".
   */
  public static String toPem(PublicKey key) {
    String b64 =
        Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(spki(key).toByteArray());
    return PEM_BEGIN + "\n" + b64 + "\n" + PEM_END + "\n";
  }

  /**
   * Parses a "PUBLIC KEY" PEM block.
   *
   * @throws VerificationException if it is not a well-formed PEM public key of a supported kind
   */
  public static PublicKey fromPem(String pem) {
    String s = pem.strip();
    if (!s.startsWith(PEM_BEGIN) || !s.endsWith(PEM_END)) {
      throw new VerificationException("not a PEM public key: want " + PEM_BEGIN + " … " + PEM_END);
    }
    String body =
        s.substring(PEM_BEGIN.length(), s.length() - PEM_END.length()).replaceAll("\\s", "");
    try {
      return fromSpki(Bytes.wrap(Base64.getDecoder().decode(body)));
    } catch (IllegalArgumentException e) {
      throw new VerificationException("bad base64 in PEM public key: " + e.getMessage(), e);
    }
  }
}
