package io.haulproof.agent.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Receivers for source-signed readings from smart bins (CoAP, CoAP over DTLS, or MQTT on the local
 * broker).
 *
 * @param coapPort UDP port of the plain CoAP receiver; absent means none (trusted networks only)
 * @param coapsPort UDP port of the CoAP over DTLS 1.2 receiver (PSK); absent means none
 * @param pskFile file of DTLS pre-shared keys, one {@code IDENTITY HEXKEY} a line ({@code #}
 *     comments), mode 0600; required with {@code coapsPort}
 * @param mqttBroker local broker the bin nodes publish to, {@code tcp://HOST:PORT} or {@code
 *     ssl://HOST:PORT} (then {@code mqttTls} is required); absent means no MQTT receiver
 * @param nodesFile file listing registered nodes and their public keys
 * @param mqttTls CA, client certificate and key for an {@code ssl://} {@code mqttBroker}
 * @param mqttUsername the broker user, with {@code mqttPasswordFile}
 * @param mqttPasswordFile file (mode 0600) holding the broker password, with {@code mqttUsername}
 */
public record RemoteConfig(
    Integer coapPort,
    Integer coapsPort,
    String pskFile,
    String mqttBroker,
    String nodesFile,
    TlsConfig mqttTls,
    String mqttUsername,
    String mqttPasswordFile) {
  public RemoteConfig {
    if (coapPort != null) {
      Check.range("coapPort", coapPort, 5683, 1, 65_535);
    }
    if (coapsPort != null) {
      Check.range("coapsPort", coapsPort, 5684, 1, 65_535);
      if (pskFile == null || pskFile.isBlank()) {
        throw new ConfigException(
            "pskFile", "is required with coapsPort (DTLS pre-shared keys, IDENTITY HEXKEY a line)");
      }
      if (coapsPort.equals(coapPort)) {
        throw new ConfigException("coapsPort", "must differ from coapPort, both are " + coapPort);
      }
    } else if (pskFile != null) {
      throw new ConfigException("coapsPort", "is required with pskFile (the DTLS receiver's port)");
    }
    if (coapPort == null && coapsPort == null && mqttBroker == null) {
      throw new ConfigException(
          "coapPort", "or coapsPort or mqttBroker is required when remote is present");
    }
    if (mqttBroker != null) {
      checkBroker(mqttBroker, mqttTls);
    } else if (mqttTls != null || mqttUsername != null) {
      throw new ConfigException(
          mqttTls != null ? "mqttTls" : "mqttUsername", "applies only with mqttBroker");
    }
    if ((mqttUsername == null) != (mqttPasswordFile == null)) {
      throw new ConfigException(
          mqttUsername == null ? "mqttUsername" : "mqttPasswordFile",
          "is required when "
              + (mqttUsername == null ? "mqttPasswordFile" : "mqttUsername")
              + " is set");
    }
    Check.required("nodesFile", nodesFile);
  }

  private static void checkBroker(String url, TlsConfig tls) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "mqttBroker", "must be tcp://HOST:PORT or ssl://HOST:PORT, got '" + url + "'");
    }
    if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getPort() < 1) {
      throw new ConfigException(
          "mqttBroker", "must be tcp://HOST:PORT or ssl://HOST:PORT, got '" + url + "'");
    }
    if ("ssl".equals(uri.getScheme()) && tls == null) {
      throw new ConfigException("mqttTls", "is required for ssl://");
    }
    if ("tcp".equals(uri.getScheme()) && tls != null) {
      throw new ConfigException(
          "mqttBroker", "is tcp:// but mqttTls is set: use ssl:// (never downgraded)");
    }
  }
}
