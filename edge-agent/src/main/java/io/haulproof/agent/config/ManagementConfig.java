package io.haulproof.agent.config;

/**
 * Where technicians reach the device for enrollment and management (DESIGN.md, "Provisioning and
 * management").
 *
 * @param broker the truck's local MQTT broker, reachable while the truck is offline from the
 *     central network: {@code tcp://127.0.0.1:1883} for the agent's loopback listener, or {@code
 *     ssl://HOST:8883} (then {@code tls} is required and used, never downgraded)
 * @param fleetRoot PEM file with the pinned fleet root certificate
 * @param claimFile the claim file written at manufacturing, needed until the device is enrolled
 * @param tls CA, client certificate and key for an {@code ssl://} broker
 * @param username the broker user (Mosquitto {@code password_file}), with {@code passwordFile}
 * @param passwordFile file (mode 0600) holding the broker password, with {@code username}
 */
public record ManagementConfig(
    String broker,
    String fleetRoot,
    String claimFile,
    TlsConfig tls,
    String username,
    String passwordFile) {
  public ManagementConfig {
    BrokerUrl.check("broker", broker, tls);
    Check.required("fleetRoot", fleetRoot);
    BrokerUrl.checkCredentials(username, passwordFile);
  }
}
