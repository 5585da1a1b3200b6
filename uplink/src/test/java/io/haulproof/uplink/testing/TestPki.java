package io.haulproof.uplink.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away test PKI (Bouncy Castle bcpkix): one EC P-256 CA that issues server and client
 * certificates, written as PEM files that Mosquitto, {@code mosquitto_pub} and our own TLS code can
 * read.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);

  /** A certificate with its private key and the PEM files holding them. */
  public record Issued(
      X509Certificate certificate, PrivateKey privateKey, Path certPem, Path keyPem) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path caPem;

  private TestPki(Path dir, KeyPair caKeys, X509Certificate caCert, Path caPem) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caPem = caPem;
  }

  /** Creates a CA named {@code caName} and writes {@code ca.pem} into {@code dir}. */
  public static TestPki create(Path dir, String caName) {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    try {
      Files.createDirectories(dir);
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=" + caName);
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(3650))),
              name,
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(b, keys.getPrivate());
      Path caPem = dir.resolve("ca.pem");
      writePem(caPem, cert);
      return new TestPki(dir, keys, cert, caPem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path caPem() {
    return caPem;
  }

  public X509Certificate caCertificate() {
    return caCert;
  }

  /** A TLS server certificate for {@code localhost} and {@code 127.0.0.1}. */
  public Issued server(String name) {
    return issue(name, true, List.of("localhost"), true);
  }

  /**
   * A TLS server certificate valid only for DNS name {@code dnsName} (for host name verification
   * tests).
   */
  public Issued serverOnlyFor(String dnsName) {
    return issue(dnsName, true, List.of(dnsName), false);
  }

  /**
   * A TLS client certificate whose CN is {@code commonName} (Mosquitto's username with
   * use_identity_as_username).
   */
  public Issued client(String commonName) {
    return issue(commonName, false, List.of(), false);
  }

  /**
   * A device certificate (CN = device id) for an existing public key, e.g. a lightchain device key.
   */
  public X509Certificate deviceCertificate(String deviceId, java.security.PublicKey key) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              new X500Name("CN=" + deviceId),
              key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      return sign(b, caKeys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A DER CRL the CA signs, with CRL number {@code number}, revoking {@code revoked}. */
  public byte[] crl(long number, X509Certificate... revoked) {
    try {
      Date now = new Date();
      X509v2CRLBuilder b =
          new X509v2CRLBuilder(
              X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), now);
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      for (X509Certificate c : revoked) {
        b.addCRLEntry(c.getSerialNumber(), now, CRLReason.keyCompromise);
      }
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      return b.build(signer).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(String cn, boolean server, List<String> dnsNames, boolean loopbackIp) {
    try {
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              new X500Name("CN=" + cn),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      if (server) {
        b.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        List<GeneralName> sans = new ArrayList<>();
        for (String dns : dnsNames) {
          sans.add(new GeneralName(GeneralName.dNSName, dns));
        }
        if (loopbackIp) {
          sans.add(
              new GeneralName(
                  GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()));
        }
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      } else {
        b.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      X509Certificate cert = sign(b, caKeys.getPrivate());
      String file = cn.replaceAll("[^A-Za-z0-9._-]", "_");
      Path certPem = dir.resolve(file + ".crt.pem");
      Path keyPem = dir.resolve(file + ".key.pem");
      writePem(certPem, cert);
      writeKey(keyPem, keys.getPrivate());
      return new Issued(cert, keys.getPrivate(), certPem, keyPem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  /** Writes one object (certificate, public key) as PEM. */
  public static void writePem(Path file, Object value) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(value);
    }
    Files.writeString(file, out.toString());
  }

  /** Writes a private key as unencrypted PKCS#8 PEM with mode 0600. */
  public static void writeKey(Path file, PrivateKey key) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(new JcaPKCS8Generator(key, null));
    }
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, out.toString());
  }
}
