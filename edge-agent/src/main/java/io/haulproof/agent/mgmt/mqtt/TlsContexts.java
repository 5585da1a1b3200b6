package io.haulproof.agent.mgmt.mqtt;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts for broker connections ({@code MqttSettings.withTls}): only the given trust anchors
 * are trusted (not the JDK's default list), optionally with a client certificate. Host names are
 * always verified by uplink's MQTT transport.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * A context trusting {@code anchors}, presenting {@code clientChain} with {@code clientKey} if
   * given.
   */
  public static SSLContext context(
      List<X509Certificate> anchors,
      Optional<List<X509Certificate>> clientChain,
      Optional<PrivateKey> clientKey)
      throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        trust.setCertificateEntry("ca" + i, anchors.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (clientChain.isPresent() && clientKey.isPresent()) {
        char[] transientPassword = new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(
            "client",
            clientKey.get(),
            transientPassword,
            clientChain.get().toArray(new X509Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, transientPassword);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
