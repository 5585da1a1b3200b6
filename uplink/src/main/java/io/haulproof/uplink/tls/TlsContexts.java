package io.haulproof.uplink.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one TLS context builder for MQTT, CoAP and HTTP clients: from PEM files ({@link Pem}), a
 * PKCS#12 bundle, or certificate and key objects. It trusts only the given CA certificates and
 * presents a client certificate when one is given.
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

  /**
   * A context trusting {@code anchors}, presenting {@code clientChain} (leaf first) with {@code
   * clientKey} when both are given; for callers that hold the objects rather than files.
   */
  public static SSLContext context(
      List<X509Certificate> anchors,
      Optional<List<X509Certificate>> clientChain,
      Optional<PrivateKey> clientKey)
      throws IOException {
    try {
      KeyStore ks = null;
      if (clientChain.isPresent() && clientKey.isPresent()) {
        ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(
            "client",
            clientKey.get(),
            EPHEMERAL,
            clientChain.get().toArray(new X509Certificate[0]));
      }
      return build(trustStore(anchors), ks, EPHEMERAL);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * All certificates in a PEM file, in order ({@link Pem#readCertificates}; the checked {@code
   * GeneralSecurityException} stays for existing callers).
   */
  public static List<X509Certificate> readCertificates(Path pem)
      throws IOException, GeneralSecurityException {
    return Pem.readCertificates(pem);
  }

  /** The private key in a PEM file ({@link Pem#readPrivateKey}). */
  public static PrivateKey readPrivateKey(Path pem) throws IOException {
    return Pem.readPrivateKey(pem);
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
