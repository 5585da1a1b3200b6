package io.haulproof.ledger;

import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The devices the ledger knows: device certificates issued by the fleet CA, each naming its device
 * in the subject CN.
 *
 * <p>Security guarantees: a certificate is accepted only if its signature verifies under one of the
 * trust anchors and it is not a CA certificate; the key of an entry or checkpoint is looked up by
 * (device id, kid), so a device can never sign for another. Validity dates are not enforced:
 * entries signed during a long offline period are still evidence (DOMAIN.md §4: no credential
 * expires because the truck could not reach the network); revocation is the fleet CA's job.
 */
public final class DeviceRegistry {
  private final List<X509Certificate> anchors;
  private final Map<String, Map<Kid, PublicKey>> keys = new ConcurrentHashMap<>();

  public DeviceRegistry(List<X509Certificate> anchors) {
    this.anchors = List.copyOf(anchors);
    if (this.anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchor given");
    }
  }

  /**
   * Loads the anchors from {@code trustAnchorPem} and every certificate in the {@code *.pem} files
   * of {@code dir}.
   *
   * @throws GeneralSecurityException if a certificate does not chain to an anchor
   */
  public static DeviceRegistry load(Path trustAnchorPem, Path dir)
      throws IOException, GeneralSecurityException {
    DeviceRegistry r = new DeviceRegistry(TlsContexts.readCertificates(trustAnchorPem));
    if (dir != null && Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
          for (X509Certificate c : TlsContexts.readCertificates(p)) {
            r.add(c);
          }
        }
      }
    }
    return r;
  }

  /**
   * Adds a device certificate after checking it chains to an anchor; returns the device id (subject
   * CN).
   *
   * @throws GeneralSecurityException if it is not signed by an anchor, is a CA certificate or has
   *     no CN
   */
  public String add(X509Certificate cert) throws GeneralSecurityException {
    if (cert.getBasicConstraints() >= 0) {
      throw new GeneralSecurityException(
          "certificate " + cert.getSubjectX500Principal() + " is a CA, want a device");
    }
    GeneralSecurityException last = null;
    boolean ok = false;
    for (X509Certificate a : anchors) {
      try {
        if (a.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
          cert.verify(a.getPublicKey());
          ok = true;
          break;
        }
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    if (!ok) {
      throw new GeneralSecurityException(
          "certificate "
              + cert.getSubjectX500Principal()
              + " issued by "
              + cert.getIssuerX500Principal()
              + " does not verify under any trust anchor",
          last);
    }
    String device = commonName(cert);
    keys.computeIfAbsent(device, d -> new ConcurrentHashMap<>())
        .put(Kid.of(cert.getPublicKey()), cert.getPublicKey());
    return device;
  }

  /** The key of {@code device} with {@code kid}, if registered. */
  public Optional<PublicKey> key(String device, Kid kid) {
    Map<Kid, PublicKey> m = keys.get(device);
    return m == null ? Optional.empty() : Optional.ofNullable(m.get(kid));
  }

  /** All registered keys of {@code device}. */
  public List<PublicKey> keys(String device) {
    Map<Kid, PublicKey> m = keys.get(device);
    return m == null ? List.of() : new ArrayList<>(m.values());
  }

  public int deviceCount() {
    return keys.size();
  }

  static String commonName(X509Certificate cert) throws GeneralSecurityException {
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
