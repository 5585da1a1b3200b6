package io.haulproof.uplink.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The one PEM reader (RFC 7468) for every TLS and DTLS user (MQTT, CoAP, HTTP) and for the fleet CA
 * files: certificates, unencrypted private keys (PKCS#8 or traditional EC/RSA) and public keys, all
 * parsed by Bouncy Castle's {@link PEMParser}. Writing PEM is the CA's job ({@code
 * agent.provision.Pem}).
 */
public final class Pem {
  private Pem() {}

  /** All certificates in a PEM file, in order; anything else in the file is an error. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII));
  }

  /** All certificates in PEM text, in order; anything else in it is an error. */
  public static List<X509Certificate> parseCertificates(String pem) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (!(o instanceof X509CertificateHolder h)) {
          throw new IOException(
              "expected a CERTIFICATE in PEM, got " + o.getClass().getSimpleName());
        }
        out.add(conv.getCertificate(h));
      }
    } catch (CertificateException e) {
      throw new IOException("bad certificate in PEM: " + e.getMessage(), e);
    }
    return out;
  }

  /** The unencrypted private key in a PEM file (PKCS#8 or traditional OpenSSL format). */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return conv.getKeyPair(kp).getPrivate();
      }
      if (o instanceof PrivateKeyInfo pki) {
        return conv.getPrivateKey(pki);
      }
      throw new IOException(
          "no unencrypted private key in "
              + file
              + ", found "
              + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
  }

  /** The public key (SubjectPublicKeyInfo) in PEM text. */
  public static PublicKey parsePublicKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo info)) {
        throw new IOException("expected a PUBLIC KEY in PEM");
      }
      return new JcaPEMKeyConverter().getPublicKey(info);
    }
  }
}
