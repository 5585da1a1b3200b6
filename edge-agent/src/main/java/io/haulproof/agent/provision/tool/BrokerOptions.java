package io.haulproof.agent.provision.tool;

import io.haulproof.agent.mgmt.mqtt.BrokerSettings;
import io.haulproof.agent.mgmt.mqtt.TlsSockets;
import io.haulproof.agent.provision.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import picocli.CommandLine.Option;

/** Broker options shared by the technician's commands: URL, TLS trust anchors, credentials. */
final class BrokerOptions {
  @Option(names = "--broker", required = true, description = "The truck's broker, tcp://host:port or ssl://host:port.")
  String url;

  @Option(names = "--cafile", description = "PEM CA certificate(s) to trust for ssl:// (server name is verified).")
  Path caFile;

  @Option(names = "--cert", description = "PEM client certificate for ssl:// brokers that require one.")
  Path cert;

  @Option(names = "--key", description = "PKCS#8 PEM private key of --cert (mode 0600).")
  Path key;

  @Option(names = "--username", description = "MQTT username.")
  String username;

  @Option(names = "--password-env", description = "Environment variable holding the MQTT password.")
  String passwordEnv;

  BrokerSettings settings(String clientId) throws IOException {
    Optional<SSLSocketFactory> tls = Optional.empty();
    if (caFile != null) {
      Optional<List<X509Certificate>> chain = cert == null ? Optional.empty() : Optional.of(Pem.readCertificates(cert));
      Optional<PrivateKey> pk = key == null ? Optional.empty() : Optional.of(Pem.readPrivateKey(key));
      tls = Optional.of(TlsSockets.factory(Pem.readCertificates(caFile), chain, pk));
    }
    Optional<String> pass = passwordEnv == null ? Optional.empty() : Optional.ofNullable(System.getenv(passwordEnv));
    return new BrokerSettings(url, clientId, tls, Optional.ofNullable(username), pass);
  }
}
