package io.haulproof.agent.config;

/**
 * Where entries and checkpoints go.
 *
 * @param broker MQTT broker URL, {@code ssl://host:8883} in production, {@code tcp://} only for
 *     tests and demos
 * @param tls TLS material, required for {@code ssl://}
 * @param reconnectMaxMs upper bound of the reconnect back-off
 * @param witnessKey PEM file with the witness's public key, pinned to check its cosignatures
 * @param checkpointIntervalMs how often the latest checkpoint is offered to the witness
 * @param username the broker user, with {@code passwordFile}
 * @param passwordFile file (mode 0600) holding the broker password, with {@code username}
 */
public record UplinkConfig(
    String broker,
    TlsConfig tls,
    Long reconnectMaxMs,
    String witnessKey,
    Long checkpointIntervalMs,
    String username,
    String passwordFile) {
  public UplinkConfig {
    BrokerUrl.check("broker", broker, tls);
    BrokerUrl.checkCredentials(username, passwordFile);
    reconnectMaxMs = Check.range("reconnectMaxMs", reconnectMaxMs, 60_000, 100, 3_600_000);
    witnessKey = Check.orDefault(witnessKey, "/etc/haulproof/witness.pub.pem");
    checkpointIntervalMs =
        Check.range("checkpointIntervalMs", checkpointIntervalMs, 10_000, 100, 86_400_000);
  }
}
