package io.haulproof.agent.config;

/**
 * Receivers for source-signed readings from smart bins (CoAP over DTLS, or MQTT on the local
 * broker).
 *
 * @param coapPort UDP port of the CoAP receiver; absent means no CoAP receiver
 * @param mqttBroker local broker the bin nodes publish to; absent means no MQTT receiver
 * @param nodesFile file listing registered nodes and their public keys
 */
public record RemoteConfig(Integer coapPort, String mqttBroker, String nodesFile) {
  public RemoteConfig {
    if (coapPort != null) {
      Check.range("coapPort", coapPort, 5684, 1, 65_535);
    }
    if (coapPort == null && mqttBroker == null) {
      throw new ConfigException("coapPort", "or mqttBroker is required when remote is present");
    }
    Check.required("nodesFile", nodesFile);
  }
}
