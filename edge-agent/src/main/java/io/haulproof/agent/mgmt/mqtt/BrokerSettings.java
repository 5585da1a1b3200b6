package io.haulproof.agent.mgmt.mqtt;

import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to reach an MQTT 5 broker: URL ({@code tcp://} or {@code ssl://}), client id, optional TLS socket factory (the
 * server name is verified) and optional username/password.
 */
public record BrokerSettings(
    String url, String clientId, Optional<SSLSocketFactory> tls, Optional<String> username, Optional<String> password) {
  public BrokerSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!(url.startsWith("tcp://") || url.startsWith("ssl://"))) {
      throw new IllegalArgumentException("broker URL \"" + url + "\", want tcp://host:port or ssl://host:port");
    }
  }

  public static BrokerSettings plain(String url, String clientId) {
    return new BrokerSettings(url, clientId, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "BrokerSettings(" + url + ", " + clientId + ", tls=" + tls.isPresent() + ", user=" + username.orElse("-")
        + ", password=" + (password.isPresent() ? "****" : "-") + ")";
  }
}
