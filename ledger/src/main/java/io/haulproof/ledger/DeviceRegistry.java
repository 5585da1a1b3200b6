package io.haulproof.ledger;

import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices the ledger knows: device certificates chained to the fleet root, each naming its
 * fleet (subject {@code OU}) and device ({@code CN}). Devices join at run time (enrollment
 * responses, {@code devices/*.pem}, a key entry carrying its chain); signed CRLs revoke them.
 *
 * <p>Security guarantees: a certificate is accepted only if it is not a CA and its chain verifies
 * up to one of the trust anchors; fleet and device come from the certificate (the fleet from the
 * anchor's configured fleet when the certificate names none), and must be valid {@link Names}; a
 * key is looked up by (fleet, device, kid), so a device can never sign for another. A CRL counts
 * only if an anchor signed it and its CRL number is higher than the last one. Validity dates are
 * not enforced (DOMAIN.md §4: entries signed during a long offline period are still evidence). With
 * a store attached, members are persisted and looked up there when another instance added them.
 */
public final class DeviceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

  /** A device that joined: its names, certificate chain (leaf first) and certificate key. */
  public record Member(
      String fleet, String device, List<X509Certificate> chain, PublicKey key, String serial) {}

  private record Id(String fleet, String device) {}

  private final List<X509Certificate> anchors;

  /** One per anchor, each keeping its key's verifier across the certificates it checks. */
  private final List<AnchorVerifier> anchorVerifiers;

  private final String defaultFleet;
  private final Map<Id, Map<Kid, Member>> members = new ConcurrentHashMap<>();
  private final Set<String> revokedSerials = ConcurrentHashMap.newKeySet();
  private final Map<String, BigInteger> crlNumbers = new ConcurrentHashMap<>();
  private volatile LedgerStore store;
  private Clock clock = Clock.systemUTC();

  /** Anchors only: a device certificate must name its fleet in {@code OU}. */
  public DeviceRegistry(List<X509Certificate> anchors) {
    this(anchors, null);
  }

  /**
   * @param defaultFleet the fleet of device certificates that name none (no subject {@code OU}), or
   *     null to refuse those
   */
  public DeviceRegistry(List<X509Certificate> anchors, String defaultFleet) {
    this.anchors = List.copyOf(anchors);
    this.anchorVerifiers = this.anchors.stream().map(AnchorVerifier::of).toList();
    if (this.anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchor given");
    }
    this.defaultFleet = defaultFleet == null ? null : Names.require("fleet", defaultFleet);
  }

  /**
   * Loads the anchors from {@code trustAnchorPem} and every certificate in the {@code *.pem} files
   * of {@code dir}.
   *
   * @throws GeneralSecurityException if a certificate does not chain to an anchor
   */
  public static DeviceRegistry load(Path trustAnchorPem, Path dir, String defaultFleet)
      throws IOException, GeneralSecurityException {
    DeviceRegistry r =
        new DeviceRegistry(TlsContexts.readCertificates(trustAnchorPem), defaultFleet);
    if (dir != null && Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
          r.join(TlsContexts.readCertificates(p));
        }
      }
    }
    return r;
  }

  public static DeviceRegistry load(Path trustAnchorPem, Path dir)
      throws IOException, GeneralSecurityException {
    return load(trustAnchorPem, dir, null);
  }

  /** Persists members in {@code s} from now on and loads those it holds (other instances'). */
  public void attach(LedgerStore s, Clock c) throws IOException {
    this.clock = c;
    this.store = s;
    try {
      List<Rows.Device> rows = s.db().read(conn -> s.devices(conn));
      for (Member m : List.copyOf(allMembers())) {
        persist(m);
      }
      for (Rows.Device d : rows) {
        loadRow(d);
      }
      for (Bytes crl : s.db().read(conn -> s.crls(conn))) {
        try {
          applyCrl(crl);
        } catch (GeneralSecurityException e) {
          LOG.warn("stored CRL no longer verifies: {}", e.getMessage());
        }
      }
    } catch (SQLException e) {
      throw new IOException("loading devices: " + e.getMessage(), e);
    }
  }

  private List<Member> allMembers() {
    List<Member> out = new ArrayList<>();
    members.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  private void loadRow(Rows.Device d) {
    try {
      List<X509Certificate> chain = decodeChain(d.certChain());
      verifyChain(chain);
      put(new Member(d.fleet(), d.device(), chain, chain.get(0).getPublicKey(), d.serial()));
    } catch (GeneralSecurityException e) {
      LOG.warn("stored device {}/{} no longer verifies: {}", d.fleet(), d.device(), e.getMessage());
    }
  }

  /** Adds one device certificate (compatibility); returns the device id. */
  public String add(X509Certificate cert) throws GeneralSecurityException {
    return join(List.of(cert)).device();
  }

  /**
   * Adds a device by its certificate chain (leaf first, the root may be included or not) after
   * checking it chains to an anchor.
   *
   * @throws GeneralSecurityException if it does not chain to an anchor, the leaf is a CA, or the
   *     names are missing or invalid
   */
  public Member join(List<X509Certificate> chain) throws GeneralSecurityException {
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("empty certificate chain");
    }
    List<X509Certificate> path = new ArrayList<>(chain);
    path.removeIf(c -> anchors.stream().anyMatch(a -> a.equals(c)));
    verifyChain(path);
    X509Certificate leaf = path.get(0);
    String device = attribute(leaf, "CN");
    if (device == null) {
      throw new GeneralSecurityException(
          "certificate " + leaf.getSubjectX500Principal() + " has no CN");
    }
    String fleet = attribute(leaf, "OU");
    if (fleet == null) {
      fleet = defaultFleet;
    }
    if (fleet == null) {
      throw new GeneralSecurityException(
          "certificate " + leaf.getSubjectX500Principal() + " names no fleet (OU)");
    }
    if (!Names.valid(fleet) || !Names.valid(device)) {
      throw new GeneralSecurityException(
          "certificate names fleet '" + fleet + "' device '" + device + "': not valid names");
    }
    Member m = new Member(fleet, device, List.copyOf(path), leaf.getPublicKey(), serialOf(leaf));
    if (revokedSerials.contains(m.serial())) {
      throw new GeneralSecurityException("certificate " + m.serial() + " is revoked");
    }
    boolean fresh = put(m);
    if (fresh && store != null) {
      try {
        persist(m);
      } catch (IOException e) {
        throw new GeneralSecurityException("could not store device: " + e.getMessage(), e);
      }
    }
    if (fresh) {
      LedgerLog.info("device.joined", fleet, device, "kid " + Kid.of(m.key()).value().toHex());
    }
    return m;
  }

  private boolean put(Member m) {
    return members
            .computeIfAbsent(new Id(m.fleet(), m.device()), k -> new ConcurrentHashMap<>())
            .put(Kid.of(m.key()), m)
        == null;
  }

  private void persist(Member m) throws IOException {
    LedgerStore s = store;
    try {
      s.db()
          .inTransaction(
              c -> {
                s.insertDevice(
                    c, m.fleet(), m.device(), encodeChain(m.chain()), m.serial(), clock.millis());
                s.insertKey(
                    c,
                    m.fleet(),
                    m.device(),
                    Kid.of(m.key()).value().toHex(),
                    Bytes.wrap(m.key().getEncoded()),
                    "certificate",
                    0);
                return null;
              });
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private void verifyChain(List<X509Certificate> path) throws GeneralSecurityException {
    if (path.isEmpty()) {
      throw new GeneralSecurityException("certificate chain holds only the anchor");
    }
    if (path.get(0).getBasicConstraints() >= 0) {
      throw new GeneralSecurityException(
          "certificate " + path.get(0).getSubjectX500Principal() + " is a CA, want a device");
    }
    for (int i = 0; i + 1 < path.size(); i++) {
      X509Certificate issuer = path.get(i + 1);
      if (issuer.getBasicConstraints() < 0
          || !issuer.getSubjectX500Principal().equals(path.get(i).getIssuerX500Principal())) {
        throw new GeneralSecurityException("certificate chain is not linked at position " + i);
      }
      path.get(i).verify(issuer.getPublicKey());
    }
    X509Certificate top = path.get(path.size() - 1);
    GeneralSecurityException last = null;
    for (AnchorVerifier a : anchorVerifiers) {
      if (a.anchor().getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
        try {
          a.verify(top);
          return;
        } catch (GeneralSecurityException e) {
          last = e;
        }
      }
    }
    throw new GeneralSecurityException(
        "certificate "
            + top.getSubjectX500Principal()
            + " issued by "
            + top.getIssuerX500Principal()
            + " does not verify under any trust anchor",
        last);
  }

  /** The member (fleet, device), looked up in the store on a miss. */
  public Optional<Member> member(String fleet, String device) {
    if (!Names.valid(fleet) || !Names.valid(device)) {
      return Optional.empty();
    }
    Map<Kid, Member> m = members.get(new Id(fleet, device));
    if ((m == null || m.isEmpty()) && store != null) {
      reload(fleet, device);
      m = members.get(new Id(fleet, device));
    }
    if (m == null) {
      return Optional.empty();
    }
    return m.values().stream().filter(x -> !revokedSerials.contains(x.serial())).findFirst();
  }

  private void reload(String fleet, String device) {
    LedgerStore s = store;
    try {
      s.db().read(c -> s.device(c, fleet, device, false)).ifPresent(this::loadRow);
    } catch (SQLException e) {
      LOG.warn("device lookup failed: {}", e.getMessage());
    }
  }

  /** Whether the device joined and every certificate of it is revoked. */
  public boolean isRevoked(String fleet, String device) {
    Map<Kid, Member> m = members.get(new Id(fleet, device));
    return m != null
        && !m.isEmpty()
        && m.values().stream().allMatch(x -> revokedSerials.contains(x.serial()));
  }

  /** The unrevoked certificate key of the device with {@code kid}. */
  public Optional<PublicKey> key(String fleet, String device, Kid kid) {
    member(fleet, device);
    Map<Kid, Member> m = members.get(new Id(fleet, device));
    if (m == null) {
      return Optional.empty();
    }
    Member x = m.get(kid);
    return x == null || revokedSerials.contains(x.serial())
        ? Optional.empty()
        : Optional.of(x.key());
  }

  /** All unrevoked certificate keys of the device. */
  public List<PublicKey> keys(String fleet, String device) {
    member(fleet, device);
    Map<Kid, Member> m = members.get(new Id(fleet, device));
    if (m == null) {
      return List.of();
    }
    return m.values().stream()
        .filter(x -> !revokedSerials.contains(x.serial()))
        .map(Member::key)
        .toList();
  }

  public int deviceCount() {
    return members.size();
  }

  /**
   * Applies a CRL signed by an anchor: its serials are revoked from now on. Older or equal CRL
   * numbers are ignored (a replayed CRL cannot un-revoke).
   *
   * @return the number of known devices newly revoked
   * @throws GeneralSecurityException if no anchor signed it
   */
  public int applyCrl(Bytes der) throws GeneralSecurityException {
    X509CRL crl =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(der.toByteArray()));
    X509Certificate signer = null;
    for (X509Certificate a : anchors) {
      if (a.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        try {
          crl.verify(a.getPublicKey());
          signer = a;
          break;
        } catch (GeneralSecurityException e) {
          // try the next anchor
        }
      }
    }
    if (signer == null) {
      throw new GeneralSecurityException(
          "CRL from " + crl.getIssuerX500Principal() + " is not signed by a trust anchor");
    }
    byte[] ext = crl.getExtensionValue("2.5.29.20");
    BigInteger number =
        ext == null
            ? BigInteger.ZERO
            : new BigInteger(
                org.bouncycastle.asn1.ASN1Integer.getInstance(
                        org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets())
                    .getValue()
                    .toByteArray());
    String issuer = crl.getIssuerX500Principal().getName();
    BigInteger have = crlNumbers.get(issuer);
    if (have != null && number.compareTo(have) <= 0) {
      return 0;
    }
    crlNumbers.put(issuer, number);
    int newly = 0;
    Set<? extends X509CRLEntry> revoked = crl.getRevokedCertificates();
    if (revoked != null) {
      for (X509CRLEntry e : revoked) {
        String serial = e.getSerialNumber().toString(16);
        if (revokedSerials.add(serial)) {
          for (Member m : allMembers()) {
            if (m.serial().equals(serial)) {
              newly++;
              LedgerLog.warn("device.revoked", m.fleet(), m.device(), "serial " + serial);
              markRevoked(m);
            }
          }
        }
      }
    }
    LedgerStore s = store;
    if (s != null) {
      try {
        s.db()
            .inTransaction(
                c -> {
                  s.putCrl(c, issuer, number.longValue(), der, clock.millis());
                  return null;
                });
      } catch (SQLException e) {
        LOG.warn("could not store CRL: {}", e.getMessage());
      }
    }
    return newly;
  }

  private void markRevoked(Member m) {
    LedgerStore s = store;
    if (s == null || !isRevoked(m.fleet(), m.device())) {
      return;
    }
    try {
      s.db()
          .inTransaction(
              c -> {
                s.revokeDevice(c, m.fleet(), m.device(), clock.millis());
                return null;
              });
    } catch (SQLException e) {
      LOG.warn("could not store revocation: {}", e.getMessage());
    }
  }

  static String serialOf(X509Certificate c) {
    return c.getSerialNumber().toString(16);
  }

  static String attribute(X509Certificate cert, String type) throws GeneralSecurityException {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase(type)) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (InvalidNameException e) {
      throw new GeneralSecurityException("bad subject " + cert.getSubjectX500Principal(), e);
    }
  }

  /** DER certificates, each prefixed by its 4-byte length. */
  public static Bytes encodeChain(List<X509Certificate> chain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (X509Certificate c : chain) {
        byte[] der = c.getEncoded();
        out.write(ByteBuffer.allocate(4).putInt(der.length).array());
        out.write(der);
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
    return Bytes.wrap(out.toByteArray());
  }

  public static List<X509Certificate> decodeChain(Bytes b) throws GeneralSecurityException {
    ByteBuffer buf = ByteBuffer.wrap(b.toByteArray());
    CertificateFactory f = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    while (buf.remaining() >= 4) {
      int len = buf.getInt();
      if (len <= 0 || len > buf.remaining()) {
        throw new GeneralSecurityException("damaged certificate chain");
      }
      byte[] der = new byte[len];
      buf.get(der);
      out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("empty certificate chain");
    }
    return out;
  }
}
