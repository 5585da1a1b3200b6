package io.haulproof.authenticator;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate roles of PoAh and how a certificate is checked for one: issued by the pinned
 * fleet root (signature and issuer name), and carrying the role's extended key usage. The OIDs are
 * those of {@code io.haulproof.agent.provision.HaulproofOids} (arc {@code 2.25.<uuid>}).
 *
 * <p>Security guarantees: a key is believed for a role only through a certificate that passes
 * {@link #require}; nothing is taken from a certificate that fails.
 */
public final class Roles {
  private static final String ARC = "2.25.67275572156871347853740993895476192132";

  /** A device key: signs a truck's evidence and proposes its blocks. */
  public static final String DEVICE = ARC + ".1.2";

  /** An authenticator key: countersigns blocks it verified. */
  public static final String AUTHENTICATOR = ARC + ".1.3";

  private Roles() {}

  public static X509Certificate parse(Bytes der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der.toByteArray()));
  }

  /**
   * Checks that {@code cert} was issued by {@code root} for {@code role}.
   *
   * @throws CertificateException naming what failed
   */
  public static void require(X509Certificate cert, X509Certificate root, String role)
      throws CertificateException {
    if (!cert.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      throw new CertificateException(
          "certificate " + cert.getSubjectX500Principal() + " is not issued by the fleet root");
    }
    try {
      cert.verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "certificate " + cert.getSubjectX500Principal() + " does not verify: " + e.getMessage(),
          e);
    }
    requireRole(cert, role);
  }

  /** Checks only the extended key usage (for auditors without the fleet root). */
  public static void requireRole(X509Certificate cert, String role) throws CertificateException {
    List<String> eku = cert.getExtendedKeyUsage();
    if (eku == null || !eku.contains(role)) {
      throw new CertificateException(
          "certificate " + cert.getSubjectX500Principal() + " lacks the role " + role);
    }
  }
}
