package io.haulproof.agent.provision;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The fleet certificate authority, kept in a directory on the technician's or operator's machine.
 *
 * <p>It holds the fleet root key and self-signed root certificate, issues device certificates from
 * PKCS#10 requests, issues provisioning-key certificates (extended key usage {@link
 * HaulproofOids#KP_PROVISIONING}), and signs CRLs.
 *
 * <p>Security guarantees: certificates carry no expiry ({@link Certificates#NO_EXPIRY}); trust is
 * withdrawn only by revocation. The root private key is stored PKCS#8 with mode 0600 and is never
 * printed. Serial numbers are random (127 bits), and every issued certificate is kept under {@code
 * issued/} so it can be revoked by device name.
 *
 * <p>Layout of the directory: {@code ca.properties} (fleet), {@code root.key}, {@code root.crt},
 * {@code issued/}, {@code revoked.txt} (one {@code serial-hex reason-code epoch-second} per line),
 * {@code crl.number}, {@code crl.der}.
 */
public final class FleetCa {
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final Path dir;
  private final String fleet;
  private final PrivateKey rootKey;
  private final X509Certificate root;
  private final Clock clock;

  private FleetCa(Path dir, String fleet, PrivateKey rootKey, X509Certificate root, Clock clock) {
    this.dir = dir;
    this.fleet = fleet;
    this.rootKey = rootKey;
    this.root = root;
    this.clock = clock;
  }

  /** Creates a new CA in an empty or missing {@code dir}; fails if a CA already exists there. */
  public static FleetCa init(Path dir, String fleet, Clock clock) throws IOException {
    DeviceRef.requireName("fleet", fleet);
    if (Files.exists(dir.resolve("root.key"))) {
      throw new IOException(
          "a fleet CA already exists in " + dir + "; refusing to overwrite its root key");
    }
    DurableFiles.createPrivateDirectories(dir);
    KeyPair kp = Certificates.newP256KeyPair();
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Haulproof")
            .addRDN(BCStyle.OU, fleet)
            .addRDN(BCStyle.CN, "Haulproof fleet root " + fleet)
            .build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name,
                  Certificates.randomSerial(),
                  notBefore(clock),
                  Certificates.NO_EXPIRY,
                  name,
                  kp.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate rootCert =
          Certificates.toX509(b.build(signer(kp.getPrivate(), kp.getPublic())));
      Pem.writePrivateKey(dir.resolve("root.key"), kp.getPrivate());
      Pem.writeCertificates(dir.resolve("root.crt"), List.of(rootCert));
      DurableFiles.write(
          dir.resolve("ca.properties"), ("fleet=" + fleet + "\n").getBytes(StandardCharsets.UTF_8));
      FleetCa ca = new FleetCa(dir, fleet, kp.getPrivate(), rootCert, clock);
      ca.writeCrl();
      return ca;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("creating the fleet root failed: " + e.getMessage(), e);
    }
  }

  /** Opens an existing CA directory. */
  public static FleetCa open(Path dir, Clock clock) throws IOException {
    Path props = dir.resolve("ca.properties");
    if (!Files.exists(props)) {
      throw new IOException(
          "no fleet CA in " + dir + " (missing ca.properties); run 'provision init-ca' first");
    }
    String fleet = null;
    for (String line : Files.readAllLines(props, StandardCharsets.UTF_8)) {
      if (line.startsWith("fleet=")) {
        fleet = line.substring("fleet=".length()).trim();
      }
    }
    DeviceRef.requireName("fleet", fleet);
    List<X509Certificate> certs = Pem.readCertificates(dir.resolve("root.crt"));
    if (certs.size() != 1) {
      throw new IOException("root.crt holds " + certs.size() + " certificates, want 1");
    }
    return new FleetCa(
        dir, fleet, Pem.readPrivateKey(dir.resolve("root.key")), certs.get(0), clock);
  }

  public String fleet() {
    return fleet;
  }

  public X509Certificate root() {
    return root;
  }

  public Path directory() {
    return dir;
  }

  /**
   * Issues a device certificate for {@code device}'s key in {@code csr}.
   *
   * <p>The CSR's self-signature is checked (proof of possession). The subject is set by the CA from
   * the device name the technician confirmed, never copied from the CSR.
   */
  public X509Certificate issueDevice(PKCS10CertificationRequest csr, String device)
      throws IOException {
    DeviceRef ref = new DeviceRef(fleet, device);
    PublicKey key = CsrChecks.verifiedPublicKey(csr);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Haulproof")
            .addRDN(BCStyle.OU, fleet)
            .addRDN(BCStyle.CN, device)
            .build();
    GeneralNames san =
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, deviceUri(ref)));
    return issue(
        subject,
        key,
        KeyUsage.digitalSignature,
        new KeyPurposeId[] {HaulproofOids.KP_DEVICE, KeyPurposeId.id_kp_clientAuth},
        san,
        "device-" + device);
  }

  /**
   * Issues a provisioning-key certificate: it may sign management requests for devices of this
   * fleet.
   */
  public X509Certificate issueOperator(String name, PublicKey key) throws IOException {
    DeviceRef.requireName("operator", name);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Haulproof")
            .addRDN(BCStyle.OU, fleet)
            .addRDN(BCStyle.CN, "provisioning " + name)
            .build();
    return issue(
        subject,
        key,
        KeyUsage.digitalSignature,
        new KeyPurposeId[] {HaulproofOids.KP_PROVISIONING, KeyPurposeId.id_kp_clientAuth},
        null,
        "operator-" + name);
  }

  /**
   * Issues an authenticator certificate: {@code key} may countersign PoAh blocks for this fleet
   * (extended key usage {@link HaulproofOids#KP_AUTHENTICATOR}).
   */
  public X509Certificate issueAuthenticator(String name, PublicKey key) throws IOException {
    DeviceRef.requireName("authenticator", name);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Haulproof")
            .addRDN(BCStyle.OU, fleet)
            .addRDN(BCStyle.CN, "authenticator " + name)
            .build();
    return issue(
        subject,
        key,
        KeyUsage.digitalSignature,
        new KeyPurposeId[] {HaulproofOids.KP_AUTHENTICATOR, KeyPurposeId.id_kp_clientAuth},
        null,
        "authenticator-" + name);
  }

  /** The URI subject alternative name of a device certificate. */
  public static String deviceUri(DeviceRef ref) {
    return "urn:haulproof:device:" + ref.fleet() + ":" + ref.device();
  }

  private X509Certificate issue(
      X500Name subject,
      PublicKey key,
      int keyUsage,
      KeyPurposeId[] eku,
      GeneralNames san,
      String label)
      throws IOException {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      BigInteger serial = Certificates.randomSerial();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  root, serial, notBefore(clock), Certificates.NO_EXPIRY, subject, key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
              .addExtension(
                  Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, false, san);
      }
      X509Certificate cert = Certificates.toX509(b.build(signer(rootKey, root.getPublicKey())));
      Pem.writeCertificates(
          dir.resolve("issued").resolve(label + "-" + serial.toString(16) + ".crt"), List.of(cert));
      return cert;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("issuing a certificate for " + label + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Certificates issued so far whose file label starts with {@code prefix} (e.g. "device-TRUCK1-").
   */
  public List<X509Certificate> issued(String prefix) throws IOException {
    Path issued = dir.resolve("issued");
    List<X509Certificate> out = new ArrayList<>();
    if (!Files.isDirectory(issued)) {
      return out;
    }
    try (var files = Files.list(issued)) {
      for (Path p : files.sorted().toList()) {
        if (p.getFileName().toString().startsWith(prefix)) {
          out.addAll(Pem.readCertificates(p));
        }
      }
    }
    return out;
  }

  /** Adds {@code serial} to the revocation list and signs a new CRL with a higher CRL number. */
  public X509CRL revoke(BigInteger serial, int reason) throws IOException {
    Path list = dir.resolve("revoked.txt");
    String line =
        serial.toString(16) + " " + reason + " " + clock.instant().getEpochSecond() + "\n";
    String existing = Files.exists(list) ? Files.readString(list, StandardCharsets.UTF_8) : "";
    if (!existing.contains(serial.toString(16) + " ")) {
      DurableFiles.write(list, (existing + line).getBytes(StandardCharsets.UTF_8));
    }
    return writeCrl();
  }

  /** The CRL last signed, as stored in {@code crl.der}. */
  public X509CRL currentCrl() throws IOException {
    try {
      return Certificates.crlFromDer(
          io.haulproof.lightchain.bytes.Bytes.wrap(Files.readAllBytes(dir.resolve("crl.der"))));
    } catch (CRLException e) {
      throw new IOException("crl.der in " + dir + " is damaged: " + e.getMessage(), e);
    }
  }

  private X509CRL writeCrl() throws IOException {
    Path numberFile = dir.resolve("crl.number");
    BigInteger number =
        Files.exists(numberFile)
            ? new BigInteger(Files.readString(numberFile, StandardCharsets.US_ASCII).trim())
                .add(BigInteger.ONE)
            : BigInteger.ONE;
    Date now = Date.from(clock.instant());
    try {
      X509v2CRLBuilder b =
          new X509v2CRLBuilder(new X509CertificateHolder(root.getEncoded()).getSubject(), now);
      // nextUpdate is required by RFC 5280 profiles; devices treat it as informational (a stale CRL
      // beats none).
      b.setNextUpdate(Certificates.NO_EXPIRY);
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root));
      Path list = dir.resolve("revoked.txt");
      if (Files.exists(list)) {
        for (String l : Files.readAllLines(list, StandardCharsets.UTF_8)) {
          String[] f = l.trim().split(" ");
          if (f.length == 3) {
            b.addCRLEntry(
                new BigInteger(f[0], 16),
                Date.from(java.time.Instant.ofEpochSecond(Long.parseLong(f[2]))),
                Integer.parseInt(f[1]));
          }
        }
      }
      X509CRL crl =
          new JcaX509CRLConverter()
              .setProvider(Certificates.BC)
              .getCRL(b.build(signer(rootKey, root.getPublicKey())));
      DurableFiles.write(dir.resolve("crl.der"), crl.getEncoded());
      DurableFiles.write(numberFile, (number + "\n").getBytes(StandardCharsets.US_ASCII));
      return crl;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("signing the CRL failed: " + e.getMessage(), e);
    }
  }

  /** CRL reason "key compromise" (RFC 5280 §5.3.1). */
  public static final int REASON_KEY_COMPROMISE = CRLReason.keyCompromise;

  /** CRL reason "superseded", used when a key is rotated. */
  public static final int REASON_SUPERSEDED = CRLReason.superseded;

  private static Date notBefore(Clock clock) {
    return Date.from(clock.instant().minus(BACKDATE));
  }

  static ContentSigner signer(PrivateKey key, PublicKey pub) throws IOException {
    try {
      return new JcaContentSignerBuilder(Certificates.signatureAlgorithm(pub))
          .setProvider(Certificates.BC)
          .build(key);
    } catch (OperatorCreationException e) {
      throw new IOException("no signer for " + pub.getAlgorithm() + ": " + e.getMessage(), e);
    }
  }
}
