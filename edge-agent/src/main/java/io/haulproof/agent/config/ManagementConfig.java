package io.haulproof.agent.config;

/**
 * Where technicians reach the device for enrollment and management (DESIGN.md, "Provisioning and
 * management").
 *
 * @param broker the truck's local MQTT broker, reachable while the truck is offline from the
 *     central network
 * @param fleetRoot PEM file with the pinned fleet root certificate
 * @param claimFile the claim file written at manufacturing, needed until the device is enrolled
 */
public record ManagementConfig(String broker, String fleetRoot, String claimFile) {
  public ManagementConfig {
    Check.required("broker", broker);
    Check.required("fleetRoot", fleetRoot);
  }
}
