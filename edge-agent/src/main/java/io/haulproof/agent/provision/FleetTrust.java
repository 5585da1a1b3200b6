package io.haulproof.agent.provision;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a device trusts: the pinned fleet root certificate and the newest CRL it has accepted.
 *
 * <p>Security guarantees: a certificate is trusted only if it is signed directly by the pinned
 * root, is not a CA, carries the extended key usage asked for, and its serial is not on the cached
 * CRL. A CRL is accepted only if the root signed it and its CRL number is higher than the cached
 * one, so an old CRL cannot be replayed to un-revoke a key. Expiry is deliberately not enforced
 * (certificates carry {@link Certificates#NO_EXPIRY}); a CRL's nextUpdate is informational because
 * a truck may be offline for weeks, and a stale CRL is still better than none.
 *
 * <p>Values are immutable; {@link #withCrl} returns a new instance.
 */
public final class FleetTrust {
  /**
   * Tolerated clock skew when checking notBefore (certificates are back-dated by an hour at issue).
   */
  private static final Duration SKEW = Duration.ofDays(1);

  private final X509Certificate root;
  private final X509CRL crl;

  private FleetTrust(X509Certificate root, X509CRL crl) {
    this.root = Objects.requireNonNull(root, "root");
    this.crl = crl;
  }

  /** Trust in {@code root}, which must be a self-signed CA certificate; {@code crl} may be null. */
  public static FleetTrust pinned(X509Certificate root, X509CRL crl) {
    try {
      root.verify(root.getPublicKey(), Certificates.BC);
    } catch (java.security.GeneralSecurityException e) {
      throw new TrustException(
          TrustException.Kind.UNTRUSTED_ISSUER,
          "pinned root is not self-signed: " + e.getMessage());
    }
    if (root.getBasicConstraints() < 0) {
      throw new TrustException(
          TrustException.Kind.WRONG_PURPOSE, "pinned root is not a CA certificate");
    }
    FleetTrust t = new FleetTrust(root, null);
    return crl == null ? t : t.withCrl(crl);
  }

  public X509Certificate root() {
    return root;
  }

  /** The cached CRL, or null if none was ever accepted. */
  public X509CRL crl() {
    return crl;
  }

  /** The cached CRL's number, or -1 without a CRL. */
  public BigInteger crlNumber() {
    return crl == null ? BigInteger.ONE.negate() : crlNumberOf(crl);
  }

  /**
   * Accepts a newer CRL signed by the root.
   *
   * @throws TrustException if the root did not sign it or its number is not higher than the cached
   *     one
   */
  public FleetTrust withCrl(X509CRL next) {
    verifyCrl(next);
    BigInteger n = crlNumberOf(next);
    if (crl != null && n.compareTo(crlNumber()) <= 0) {
      throw new TrustException(
          TrustException.Kind.STALE_CRL, "CRL number " + n + ", want more than " + crlNumber());
    }
    return new FleetTrust(root, next);
  }

  /**
   * Checks that the pinned root signed {@code crl} and that it has a non-negative CRL number,
   * whatever its age.
   *
   * @throws TrustException if not
   */
  public void verifyCrl(X509CRL next) {
    try {
      next.verify(root.getPublicKey(), Certificates.BC);
    } catch (java.security.GeneralSecurityException e) {
      throw new TrustException(
          TrustException.Kind.UNTRUSTED_ISSUER,
          "CRL is not signed by the fleet root: " + e.getMessage());
    }
    if (!next.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      throw new TrustException(
          TrustException.Kind.UNTRUSTED_ISSUER,
          "CRL issuer "
              + next.getIssuerX500Principal()
              + ", want "
              + root.getSubjectX500Principal());
    }
    if (crlNumberOf(next).signum() < 0) {
      throw new TrustException(
          TrustException.Kind.STALE_CRL, "negative CRL number " + crlNumberOf(next));
    }
  }

  /** Checks a provisioning-key certificate; returns its public key. */
  public PublicKey verifyProvisioning(X509Certificate cert, Instant now) {
    verifyIssued(cert, HaulproofOids.KP_PROVISIONING, now);
    return cert.getPublicKey();
  }

  /** Checks a device certificate for {@code ref} and that it certifies {@code expectedKey}. */
  public void verifyDevice(
      X509Certificate cert, DeviceRef ref, PublicKey expectedKey, Instant now) {
    verifyIssued(cert, HaulproofOids.KP_DEVICE, now);
    if (!java.util.Arrays.equals(cert.getPublicKey().getEncoded(), expectedKey.getEncoded())) {
      throw new TrustException(
          TrustException.Kind.WRONG_SUBJECT, "device certificate certifies another public key");
    }
    String want = FleetCa.deviceUri(ref);
    try {
      var sans = cert.getSubjectAlternativeNames();
      boolean found = false;
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(6).equals(san.get(0)) && want.equals(san.get(1))) {
            found = true;
          }
        }
      }
      if (!found) {
        throw new TrustException(
            TrustException.Kind.WRONG_SUBJECT,
            "device certificate names " + sans + ", want URI " + want);
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw new TrustException(
          TrustException.Kind.WRONG_SUBJECT,
          "unreadable subject alternative name: " + e.getMessage());
    }
  }

  private void verifyIssued(X509Certificate cert, KeyPurposeId purpose, Instant now) {
    if (!cert.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      throw new TrustException(
          TrustException.Kind.UNTRUSTED_ISSUER,
          "certificate issuer "
              + cert.getIssuerX500Principal()
              + ", want "
              + root.getSubjectX500Principal());
    }
    try {
      cert.verify(root.getPublicKey(), Certificates.BC);
    } catch (java.security.GeneralSecurityException e) {
      throw new TrustException(
          TrustException.Kind.UNTRUSTED_ISSUER,
          "certificate is not signed by the pinned fleet root: " + e.getMessage());
    }
    if (cert.getBasicConstraints() >= 0) {
      throw new TrustException(
          TrustException.Kind.WRONG_PURPOSE, "certificate is a CA certificate, want an end entity");
    }
    List<String> eku;
    try {
      eku = cert.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new TrustException(
          TrustException.Kind.WRONG_PURPOSE, "unreadable extended key usage: " + e.getMessage());
    }
    String want = purpose.getId();
    if (eku == null || !eku.contains(want)) {
      throw new TrustException(
          TrustException.Kind.WRONG_PURPOSE, "extended key usage " + eku + ", want " + want);
    }
    if (cert.getNotBefore().toInstant().isAfter(now.plus(SKEW))) {
      throw new TrustException(
          TrustException.Kind.NOT_YET_VALID,
          "certificate valid from " + cert.getNotBefore().toInstant() + ", now " + now);
    }
    if (crl != null && crl.isRevoked(cert)) {
      throw new TrustException(
          TrustException.Kind.REVOKED,
          "certificate serial "
              + cert.getSerialNumber().toString(16)
              + " is revoked by CRL "
              + crlNumber());
    }
  }

  static BigInteger crlNumberOf(X509CRL crl) {
    byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
    if (ext == null) {
      throw new TrustException(TrustException.Kind.STALE_CRL, "CRL has no CRL number extension");
    }
    return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
  }
}
