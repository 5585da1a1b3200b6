package io.haulproof.agent.config;

import java.net.URI;

/**
 * Where entries and checkpoints go: a truck uplinks over MQTT ({@code broker}), a battery-powered
 * smart bin over CoAP/DTLS ({@code coap}, DESIGN.md "Uplink by kind").
 *
 * @param broker MQTT broker URL, {@code ssl://host:8883} in production, {@code tcp://} only for
 *     tests and demos; or {@code coap}
 * @param tls TLS material: required for {@code ssl://}; for {@code coaps://} the device certificate
 *     and key (DTLS with X.509) and the ledger's CA
 * @param reconnectMaxMs upper bound of the reconnect back-off
 * @param witnessKey PEM file with the witness's public key, pinned to check its cosignatures
 * @param checkpointIntervalMs how often the latest checkpoint is offered to the witness
 * @param username the broker user, with {@code passwordFile}
 * @param passwordFile file (mode 0600) holding the broker password, with {@code username}
 * @param coap the ledger's CoAP endpoint, {@code coaps://host:5684} (DTLS) or {@code coap://} for
 *     tests; or {@code broker}
 * @param pskFile DTLS pre-shared key for {@code coaps://}: a file (mode 0600) with the line {@code
 *     DEVICE-ID HEXKEY}; or {@code tls}
 */
public record UplinkConfig(
    String broker,
    TlsConfig tls,
    Long reconnectMaxMs,
    String witnessKey,
    Long checkpointIntervalMs,
    String username,
    String passwordFile,
    String coap,
    String pskFile) {
  public UplinkConfig {
    if ((broker == null) == (coap == null)) {
      throw new ConfigException("broker", "or coap is required, not both");
    }
    if (broker != null) {
      BrokerUrl.check("broker", broker, tls);
      BrokerUrl.checkCredentials(username, passwordFile);
      if (pskFile != null) {
        throw new ConfigException("pskFile", "applies only to coap");
      }
    } else {
      checkCoap(coap, tls, pskFile);
      if (username != null || passwordFile != null) {
        throw new ConfigException(
            username != null ? "username" : "passwordFile", "applies only to an MQTT broker");
      }
    }
    reconnectMaxMs = Check.range("reconnectMaxMs", reconnectMaxMs, 60_000, 100, 3_600_000);
    witnessKey = Check.orDefault(witnessKey, "/etc/haulproof/witness.pub.pem");
    checkpointIntervalMs =
        Check.range("checkpointIntervalMs", checkpointIntervalMs, 10_000, 100, 86_400_000);
  }

  private static void checkCoap(String url, TlsConfig tls, String pskFile) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("coap", "is not a URL: " + e.getMessage());
    }
    Check.oneOf("coap", uri.getScheme(), null, java.util.List.of("coap", "coaps"));
    if (uri.getHost() == null) {
      throw new ConfigException("coap", "has no host, got \"" + url + "\"");
    }
    if (uri.getScheme().equals("coaps")) {
      if ((pskFile == null) == (tls == null || tls.cert() == null)) {
        throw new ConfigException(
            "pskFile", "or tls with cert and key is required for coaps://, not both");
      }
    } else if (pskFile != null || tls != null) {
      throw new ConfigException(
          "coap", "is coap:// but DTLS material is set: use coaps:// (never downgraded)");
    }
  }

  /** True when this uplink is CoAP. */
  public boolean isCoap() {
    return coap != null;
  }
}
