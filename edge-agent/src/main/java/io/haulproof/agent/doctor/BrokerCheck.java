package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.TlsConfig;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The brokers answer: the uplink broker (a TCP connect, and for {@code ssl://} a TLS handshake that
 * checks the broker's certificate against the configured CA and its name), the local management
 * broker and the smart-bin broker. MQTT itself is not spoken: this is about the network path and
 * the server's identity.
 */
final class BrokerCheck implements DoctorCheck {
  private final Duration timeout;

  BrokerCheck(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    List<Finding> out = new ArrayList<>();
    if (config.uplink() != null && config.uplink().isCoap()) {
      out.add(
          Finding.warn(
              "uplink broker",
              "CoAP uplink to " + config.uplink().coap() + " (UDP: not probed by the doctor)"));
    } else if (config.uplink() != null) {
      out.add(check("uplink broker", config.uplink().broker(), config.uplink().tls()));
    } else {
      out.add(Finding.warn("uplink broker", "none configured: checkpoints are not witnessed"));
    }
    if (config.management() != null) {
      out.add(check("management broker", config.management().broker(), config.management().tls()));
    }
    if (config.remote() != null && config.remote().mqttBroker() != null) {
      out.add(check("smart-bin broker", config.remote().mqttBroker(), config.remote().mqttTls()));
    }
    return out;
  }

  private Finding check(String subject, String url, TlsConfig tls) {
    Endpoint endpoint;
    try {
      endpoint = Endpoint.ofBrokerUrl(url);
    } catch (IllegalArgumentException e) {
      return Finding.fail(subject, "bad URL " + url + ": " + e.getMessage());
    }
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
      if (!endpoint.tls()) {
        return Finding.ok(subject, url + " answers (TCP)");
      }
      if (tls == null) {
        return Finding.fail(subject, url + " needs TLS settings (uplink.tls)");
      }
      return handshake(subject, url, endpoint, socket, tls);
    } catch (IOException e) {
      return Finding.fail(subject, url + " does not answer: " + e.getMessage());
    }
  }

  private Finding handshake(
      String subject, String url, Endpoint endpoint, Socket socket, TlsConfig tls) {
    try {
      SSLContext context = TlsContexts.fromPem(Path.of(tls.ca()), null, null);
      socket.setSoTimeout((int) timeout.toMillis());
      try (SSLSocket ssl =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(socket, endpoint.host(), endpoint.port(), false)) {
        SSLParameters params = ssl.getSSLParameters();
        if (tls.hostnameVerification()) {
          params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        String name =
            tls.hostnameVerification()
                ? ", name " + endpoint.host() + " matches"
                : ", NAME NOT CHECKED";
        return Finding.ok(
            subject,
            url
                + " answers (TLS "
                + ssl.getSession().getProtocol()
                + ", certificate signed by "
                + tls.ca()
                + name
                + ")");
      }
    } catch (IOException e) {
      return Finding.fail(subject, url + " TLS handshake failed: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      return Finding.fail(subject, "cannot use CA " + tls.ca() + ": " + e.getMessage());
    }
  }
}
