package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.DeviceKeyStore;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.uplink.mqtt.MqttSettings;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runtime configures for provisioning and management.
 *
 * @param ref this device's fleet and id
 * @param stateDir where identity ({@code stateDir/identity}), config snapshots ({@code
 *     stateDir/mgmt/config}) and replay state ({@code stateDir/mgmt/replay}) live, e.g. {@code
 *     DATA/provision}
 * @param pinnedRoot the fleet root installed with the agent (package or image), never taken from
 *     the network
 * @param keys the key store (see {@link io.haulproof.agent.provision.LightchainKeyStores})
 * @param claimFile the claim file written at manufacturing ({@code haulproof provision claim});
 *     needed until enrolled
 * @param firmware the version reported in the enrollment request
 * @param broker the broker the technician reaches: the truck's local broker (uplink's settings; TLS
 *     via {@link io.haulproof.uplink.tls.TlsContexts})
 */
public record ManagementSettings(
    DeviceRef ref,
    Path stateDir,
    X509Certificate pinnedRoot,
    DeviceKeyStore keys,
    Optional<Path> claimFile,
    String firmware,
    MqttSettings broker) {
  public ManagementSettings {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(pinnedRoot, "pinnedRoot");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(claimFile, "claimFile");
    Objects.requireNonNull(firmware, "firmware");
    Objects.requireNonNull(broker, "broker");
  }
}
