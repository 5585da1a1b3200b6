package io.haulproof.agent.provision;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM writing of certificates and keys (RFC 7468; private keys 0600 only). Reading goes to the one
 * PEM reader, {@link io.haulproof.uplink.tls.Pem}.
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

  /** {@link io.haulproof.uplink.tls.Pem#readCertificates}, the one PEM reader. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return io.haulproof.uplink.tls.Pem.readCertificates(file);
  }

  /** {@link io.haulproof.uplink.tls.Pem#parseCertificates}, the one PEM reader. */
  public static List<X509Certificate> parseCertificates(String pem) throws IOException {
    return io.haulproof.uplink.tls.Pem.parseCertificates(pem);
  }

  /** {@link io.haulproof.uplink.tls.Pem#readPrivateKey}, the one PEM reader. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return io.haulproof.uplink.tls.Pem.readPrivateKey(file);
  }

  /** {@link io.haulproof.uplink.tls.Pem#parsePublicKey}, the one PEM reader. */
  public static PublicKey parsePublicKey(String pem) throws IOException {
    return io.haulproof.uplink.tls.Pem.parsePublicKey(pem);
  }
}
