package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.util.BigIntegers;

/**
 * Checks that a trust anchor signed a certificate, with one Bouncy Castle verifier kept for the
 * anchor's key when it is ECDSA P-256 and the certificate says ecdsa-with-SHA256 (a fleet CA's
 * usual form): the JDK's {@link X509Certificate#verify} starts from the key each time and cost the
 * ledger about 8% of its CPU while 1,000 trucks joined; a kept verifier keeps Bouncy Castle's
 * precomputed table for the anchor's point.
 *
 * <p>Security guarantees: {@link #verify} returns normally only if the certificate's signature is
 * valid under the anchor's key over its TBSCertificate bytes as encoded in the certificate. On the
 * kept path the outer and inner signature algorithms must both be exactly ecdsa-with-SHA256 without
 * parameters (RFC 5758 §3.2), the signature a strict DER ECDSA-Sig-Value, and r and s in [1, n-1];
 * every other certificate or anchor is checked by {@link X509Certificate#verify} as before.
 * Thread-safe.
 */
final class AnchorVerifier {
  static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

  private static final BigInteger P256_N =
      org.bouncycastle.asn1.sec.SECNamedCurves.getByName("secp256r1").getN();

  private final X509Certificate anchor;
  private final SignatureVerifier kept;

  private AnchorVerifier(X509Certificate anchor, SignatureVerifier kept) {
    this.anchor = anchor;
    this.kept = kept;
  }

  static AnchorVerifier of(X509Certificate anchor) {
    SignatureVerifier v;
    try {
      v = SignatureVerifier.of(anchor.getPublicKey());
    } catch (VerificationException e) {
      v = null; // not a P-256 or Ed25519 key: the JDK checks its certificates
    }
    return new AnchorVerifier(anchor, v != null && v.algorithm() == CoseAlgorithm.ES256 ? v : null);
  }

  X509Certificate anchor() {
    return anchor;
  }

  /** Whether this anchor's certificates are checked with the kept verifier (P-256 key). */
  boolean kept() {
    return kept != null;
  }

  /**
   * Verifies that the anchor signed {@code cert}.
   *
   * @throws GeneralSecurityException if it did not, or the signature cannot be read
   */
  void verify(X509Certificate cert) throws GeneralSecurityException {
    if (kept == null || !ECDSA_WITH_SHA256.equals(cert.getSigAlgOID())) {
      cert.verify(anchor.getPublicKey());
      return;
    }
    byte[] tbs = cert.getTBSCertificate();
    AlgorithmIdentifier inner;
    try {
      inner = TBSCertificate.getInstance(tbs).getSignature();
    } catch (RuntimeException e) {
      throw new SignatureException("unreadable TBSCertificate: " + e.getMessage(), e);
    }
    if (cert.getSigAlgParams() != null
        || inner.getParameters() != null
        || !ECDSA_WITH_SHA256.equals(inner.getAlgorithm().getId())) {
      cert.verify(anchor.getPublicKey()); // an unusual encoding: the JDK decides, as before
      return;
    }
    Bytes rs;
    try {
      BigInteger[] sig = StandardDSAEncoding.INSTANCE.decode(P256_N, cert.getSignature());
      byte[] raw = new byte[64];
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, sig[0]), 0, raw, 0, 32);
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, sig[1]), 0, raw, 32, 32);
      rs = Bytes.wrap(raw);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new SignatureException(
          "certificate " + cert.getSubjectX500Principal() + ": bad ECDSA signature encoding", e);
    }
    try {
      kept.verify(CoseAlgorithm.ES256, Bytes.wrap(tbs), rs);
    } catch (VerificationException e) {
      throw new SignatureException(
          "certificate "
              + cert.getSubjectX500Principal()
              + " does not verify under anchor "
              + anchor.getSubjectX500Principal()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
