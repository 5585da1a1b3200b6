package io.haulproof.agent.provision;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
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
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM reading and writing of certificates and keys (RFC 7468); private keys are written 0600 only.
 */
public final class Pem {
  private Pem() {}

  public static String encode(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("PEM encoding to memory failed", e);
    }
    return out.toString();
  }

  public static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certs) {
      sb.append(encode(c));
    }
    DurableFiles.write(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes an unencrypted PKCS#8 private key with mode 0600. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    try {
      DurableFiles.write(
          file,
          encode(new JcaPKCS8Generator(key, null).generate()).getBytes(StandardCharsets.US_ASCII));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IOException("PKCS#8 encoding failed: " + e.getMessage(), e);
    }
  }

  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static List<X509Certificate> parseCertificates(String pem) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (!(o instanceof X509CertificateHolder h)) {
          throw new IOException(
              "expected a CERTIFICATE in PEM, got " + o.getClass().getSimpleName());
        }
        out.add(Certificates.toX509(h));
      }
    } catch (CertificateException e) {
      throw new IOException("bad certificate in PEM: " + e.getMessage(), e);
    }
    return out;
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = p.readObject();
      if (!(o instanceof PrivateKeyInfo info)) {
        throw new IOException("expected an unencrypted PKCS#8 PRIVATE KEY in " + file);
      }
      return new JcaPEMKeyConverter().setProvider(Certificates.BC).getPrivateKey(info);
    }
  }

  public static PublicKey parsePublicKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo info)) {
        throw new IOException("expected a PUBLIC KEY in PEM");
      }
      return new JcaPEMKeyConverter().setProvider(Certificates.BC).getPublicKey(info);
    }
  }
}
