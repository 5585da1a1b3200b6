package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks a device certificate chain from a dispute bundle against the fleet root, offline.
 *
 * <p>Security guarantees: {@link #certifiedKey} returns a key only if every certificate's signature
 * verifies under the next one's key and the last under the fleet root's, issuer names match, every
 * certificate above the leaf is a CA and the leaf is not, and the leaf names the device: subject CN
 * equal to the device id and, where it carries a URI subject alternative name, {@code
 * urn:haulproof:device:<fleet>:<device>}. Validity dates are not enforced (trucks sign for days
 * offline and no credential expires for that; revocation is the fleet CA's job, DESIGN.md
 * "Provisioning"); revocation is not checked because a bundle carries no CRL.
 */
public final class DeviceChains {
  private final X509Certificate root;

  public DeviceChains(X509Certificate root) {
    this.root = root;
  }

  /**
   * The leaf's public key if the chain holds; throws {@link GeneralSecurityException} with the
   * reason otherwise.
   */
  public X509Certificate certifiedLeaf(List<Bytes> chainDer, String fleet, String device)
      throws GeneralSecurityException {
    if (chainDer.isEmpty()) {
      throw new GeneralSecurityException("empty certificate chain");
    }
    List<X509Certificate> chain = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    for (int i = 0; i < chainDer.size(); i++) {
      try {
        chain.add(
            (X509Certificate)
                cf.generateCertificate(new ByteArrayInputStream(chainDer.get(i).toByteArray())));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new GeneralSecurityException(
            "certificate " + i + " of the chain is not DER X.509: " + e.getMessage(), e);
      }
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : root;
      if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        throw new GeneralSecurityException(
            "certificate "
                + c.getSubjectX500Principal()
                + " is issued by "
                + c.getIssuerX500Principal()
                + ", want "
                + issuer.getSubjectX500Principal()
                + (issuer == root ? " (the fleet root)" : ""));
      }
      try {
        c.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new GeneralSecurityException(
            "signature on certificate "
                + c.getSubjectX500Principal()
                + " does not verify under the key of "
                + issuer.getSubjectX500Principal()
                + ": "
                + e.getMessage(),
            e);
      }
      if (i > 0 && c.getBasicConstraints() < 0) {
        throw new GeneralSecurityException(
            "certificate " + c.getSubjectX500Principal() + " issues others but is not a CA");
      }
    }
    X509Certificate leaf = chain.get(0);
    if (leaf.getBasicConstraints() >= 0) {
      throw new GeneralSecurityException(
          "certificate " + leaf.getSubjectX500Principal() + " is a CA, want a device certificate");
    }
    String cn = commonName(leaf);
    if (!device.equals(cn)) {
      throw new GeneralSecurityException(
          "certificate names device '" + cn + "', want '" + device + "'");
    }
    String want = "urn:haulproof:device:" + fleet + ":" + device;
    if (leaf.getSubjectAlternativeNames() != null) {
      for (List<?> san : leaf.getSubjectAlternativeNames()) {
        if (Integer.valueOf(6).equals(san.get(0)) && !want.equals(san.get(1))) {
          throw new GeneralSecurityException(
              "certificate names URI " + san.get(1) + ", want " + want);
        }
      }
    }
    return leaf;
  }

  /** The leaf's key, see {@link #certifiedLeaf}. */
  public PublicKey certifiedKey(List<Bytes> chainDer, String fleet, String device)
      throws GeneralSecurityException {
    return certifiedLeaf(chainDer, fleet, device).getPublicKey();
  }

  private static String commonName(X509Certificate cert) throws GeneralSecurityException {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      throw new GeneralSecurityException("bad subject " + cert.getSubjectX500Principal(), e);
    }
    throw new GeneralSecurityException(
        "certificate " + cert.getSubjectX500Principal() + " has no CN");
  }
}
