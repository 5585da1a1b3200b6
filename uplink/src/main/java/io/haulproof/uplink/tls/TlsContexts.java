package io.haulproof.uplink.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds TLS client contexts from PEM files or a PKCS#12 bundle: trust only the given CA
 * certificates, and present a client certificate when one is given.
 *
 * <p>Security guarantees: the trust store holds only the configured anchors (never the JDK's
 * default CAs); host name verification is left to the caller's endpoint identification, which the
 * MQTT transport always switches on.
 */
public final class TlsContexts {
  private static final char[] EPHEMERAL = "haulproof-in-memory".toCharArray();

  private TlsContexts() {}

  /**
   * A context trusting the certificates in {@code caPem}, presenting {@code certPem} (leaf first,
   * optional chain) with the PKCS#8 or traditional EC/RSA key in {@code keyPem}; pass null for both
   * for a server-auth-only context.
   */
  public static SSLContext fromPem(Path caPem, Path certPem, Path keyPem)
      throws IOException, GeneralSecurityException {
    KeyStore ks = null;
    if (certPem != null) {
      List<X509Certificate> chain = readCertificates(certPem);
      if (chain.isEmpty()) {
        throw new GeneralSecurityException("no certificate in " + certPem);
      }
      PrivateKey key = readPrivateKey(keyPem);
      ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, EPHEMERAL, chain.toArray(new X509Certificate[0]));
    }
    return build(trustStore(readCertificates(caPem)), ks, EPHEMERAL);
  }

  /**
   * A context trusting {@code caPem}, presenting the key and chain in the PKCS#12 file {@code p12}.
   */
  public static SSLContext fromPkcs12(Path caPem, Path p12, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, password);
    }
    return build(trustStore(readCertificates(caPem)), ks, password);
  }

  /** All certificates in a PEM file, in order. */
  public static List<X509Certificate> readCertificates(Path pem)
      throws IOException, GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pem)) {
      for (var c : cf.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    }
    return out;
  }

  /** The private key in a PEM file (PKCS#8 or traditional OpenSSL format, unencrypted). */
  public static PrivateKey readPrivateKey(Path pem) throws IOException {
    try (Reader r = Files.newBufferedReader(pem);
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
              + pem
              + ", found "
              + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
  }

  private static KeyStore trustStore(List<X509Certificate> anchors)
      throws IOException, GeneralSecurityException {
    if (anchors.isEmpty()) {
      throw new GeneralSecurityException("no trust anchors given");
    }
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    int i = 0;
    for (X509Certificate c : anchors) {
      ts.setCertificateEntry("ca" + i++, c);
    }
    return ts;
  }

  private static SSLContext build(KeyStore trust, KeyStore keys, char[] keyPass)
      throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (keys != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, keyPass);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
