package io.haulproof.agent.provision;

import java.io.IOException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks on a PKCS#10 certification request (RFC 2986) before the fleet CA signs anything for it.
 */
public final class CsrChecks {
  private CsrChecks() {}

  /** Parses DER; any trailing or malformed content is an {@link EnrollmentException}. */
  public static PKCS10CertificationRequest parse(io.haulproof.lightchain.bytes.Bytes der) {
    try {
      return new PKCS10CertificationRequest(der.toByteArray());
    } catch (IOException | RuntimeException e) {
      throw new EnrollmentException("malformed PKCS#10 request: " + e.getMessage());
    }
  }

  /**
   * Returns the request's public key after checking its self-signature and that it is P-256 or
   * Ed25519.
   *
   * @throws EnrollmentException if the signature does not verify or the key type is not allowed
   */
  public static PublicKey verifiedPublicKey(PKCS10CertificationRequest csr) {
    try {
      JcaPKCS10CertificationRequest jca =
          new JcaPKCS10CertificationRequest(csr).setProvider(Certificates.BC);
      PublicKey key = jca.getPublicKey();
      requireAllowedKey(key);
      boolean ok =
          csr.isSignatureValid(
              new JcaContentVerifierProviderBuilder().setProvider(Certificates.BC).build(key));
      if (!ok) {
        throw new EnrollmentException(
            "PKCS#10 self-signature does not verify with its own public key");
      }
      return key;
    } catch (java.security.GeneralSecurityException
        | OperatorCreationException
        | PKCSException
        | RuntimeException e) {
      if (e instanceof EnrollmentException ee) {
        throw ee;
      }
      throw new EnrollmentException("PKCS#10 request cannot be checked: " + e.getMessage(), e);
    }
  }

  /**
   * Only P-256 (ES256) and Ed25519 (EdDSA) keys are certified, as DESIGN.md allows for evidence.
   */
  public static void requireAllowedKey(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      var p256 = ECNamedCurveTable.getParameterSpec("secp256r1");
      if (!ec.getParams()
              .getCurve()
              .getField()
              .equals(
                  new java.security.spec.ECFieldFp(p256.getCurve().getField().getCharacteristic()))
          || !ec.getParams().getOrder().equals(p256.getN())) {
        throw new EnrollmentException(
            "EC key is not on P-256 (order " + ec.getParams().getOrder().bitLength() + " bits)");
      }
      return;
    }
    String alg = key.getAlgorithm();
    if (alg.equals("Ed25519") || alg.equals("EdDSA")) {
      if (key.getEncoded().length != 44) {
        throw new EnrollmentException(
            "EdDSA key is not Ed25519 (SPKI " + key.getEncoded().length + " bytes, want 44)");
      }
      return;
    }
    throw new EnrollmentException(
        "key algorithm " + alg + " is not allowed, want P-256 or Ed25519");
  }
}
