package io.haulproof.agent.config;

import java.net.URI;
import java.util.List;

/**
 * Where entries and checkpoints go.
 *
 * @param broker MQTT broker URL, {@code ssl://host:8883} in production, {@code tcp://} only for
 *     tests and demos
 * @param tls TLS material, required for {@code ssl://}
 * @param reconnectMaxMs upper bound of the reconnect back-off
 * @param witnessKey PEM file with the witness's public key, pinned to check its cosignatures
 * @param checkpointIntervalMs how often the latest checkpoint is offered to the witness
 */
public record UplinkConfig(
    String broker,
    TlsConfig tls,
    Long reconnectMaxMs,
    String witnessKey,
    Long checkpointIntervalMs) {
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
    witnessKey = Check.orDefault(witnessKey, "/etc/haulproof/witness.pub.pem");
    checkpointIntervalMs =
        Check.range("checkpointIntervalMs", checkpointIntervalMs, 10_000, 100, 86_400_000);
  }
}
