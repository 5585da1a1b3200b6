package io.haulproof.agent.provision.tool;

import io.haulproof.agent.mgmt.mqtt.BrokerSettings;
import io.haulproof.agent.provision.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/** Broker options shared by the technician's commands: URL, TLS trust anchors, credentials. */
final class BrokerOptions {
  @Option(names = "--broker", required = true, description = "The truck's broker, tcp://host:port or ssl://host:port.")
  String url;

  @Option(names = "--cafile", description = "PEM CA certificate(s) to trust for ssl:// (server name is verified).")
  Path caFile;

  @Option(names = "--username", description = "MQTT username.")
  String username;

  @Option(names = "--password-env", description = "Environment variable holding the MQTT password.")
  String passwordEnv;

  BrokerSettings settings(String clientId) throws IOException {
    Optional<SSLSocketFactory> tls = Optional.empty();
    if (caFile != null) {
      tls = Optional.of(trusting(Pem.readCertificates(caFile).toArray(new X509Certificate[0])));
    }
    Optional<String> pass = passwordEnv == null ? Optional.empty() : Optional.ofNullable(System.getenv(passwordEnv));
    return new BrokerSettings(url, clientId, tls, Optional.ofNullable(username), pass);
  }

  static SSLSocketFactory trusting(X509Certificate... anchors) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      for (int i = 0; i < anchors.length; i++) {
        ks.setCertificateEntry("ca" + i, anchors[i]);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }
}
