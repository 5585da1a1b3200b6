package io.haulproof.agent.provision.tool;

import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.tls.Pem;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/** Broker options shared by the technician's commands: URL, TLS trust anchors, credentials. */
final class BrokerOptions {
  @Option(
      names = "--broker",
      required = true,
      description = "The truck's broker, tcp://host:port or ssl://host:port.")
  String url;

  @Option(
      names = {"--tls-ca", "--cafile"},
      description =
          "PEM CA certificate(s) to trust for ssl:// (server name is verified)."
              + " --cafile is a deprecated alias (DeprecatedFlags).")
  Path caFile;

  @Option(
      names = {"--tls-cert", "--cert"},
      description =
          "PEM client certificate for ssl:// brokers that require one."
              + " --cert is a deprecated alias.")
  Path cert;

  @Option(
      names = {"--tls-key", "--key"},
      description = "PEM private key of --tls-cert (mode 0600). --key is a deprecated alias.")
  Path key;

  @Option(names = "--username", description = "MQTT username.")
  String username;

  @Option(names = "--password-env", description = "Environment variable holding the MQTT password.")
  String passwordEnv;

  /**
   * The connection settings; the CLI retries quickly (0.2 to 2 s) and gives up after its own
   * timeout.
   */
  MqttSettings settings(String clientId) throws IOException {
    MqttSettings s =
        MqttSettings.of(url, clientId).withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    if (caFile != null) {
      Optional<List<X509Certificate>> chain =
          cert == null ? Optional.empty() : Optional.of(Pem.readCertificates(cert));
      Optional<PrivateKey> pk =
          key == null ? Optional.empty() : Optional.of(Pem.readPrivateKey(key));
      s = s.withTls(TlsContexts.context(Pem.readCertificates(caFile), chain, pk));
    } else if (url.startsWith("ssl://")) {
      try {
        s = s.withTls(SSLContext.getDefault());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IOException("no default TLS context: " + e.getMessage(), e);
      }
    }
    if (username != null) {
      String pass = passwordEnv == null ? null : System.getenv(passwordEnv);
      s =
          s.withCredentials(
              username,
              pass == null ? null : new MqttSettings.Secret(pass.getBytes(StandardCharsets.UTF_8)));
    }
    return s;
  }
}
