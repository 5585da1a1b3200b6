package io.haulproof.agent.config;

import java.net.URI;
import java.util.List;

/**
 * Where entries and checkpoints go.
 *
 * @param broker MQTT broker URL, {@code ssl://host:8883} in production, {@code tcp://} only for tests and demos
 * @param tls TLS material, required for {@code ssl://}
 * @param reconnectMaxMs upper bound of the reconnect back-off
 */
public record UplinkConfig(String broker, TlsConfig tls, Long reconnectMaxMs) {
  public UplinkConfig {
    Check.required("broker", broker);
    URI uri;
    try {
      uri = URI.create(broker);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("broker", "is not a URL: " + e.getMessage());
    }
    Check.oneOf("broker", uri.getScheme(), null, List.of("tcp", "ssl", "mqtt", "mqtts"));
    if (uri.getHost() == null) {
      throw new ConfigException("broker", "has no host, got \"" + broker + "\"");
    }
    boolean secure = uri.getScheme().equals("ssl") || uri.getScheme().equals("mqtts");
    if (secure && tls == null) {
      throw new ConfigException("tls", "is required for " + uri.getScheme() + "://");
    }
    reconnectMaxMs = Check.range("reconnectMaxMs", reconnectMaxMs, 60_000, 100, 3_600_000);
  }
}
