package io.haulproof.agent.mgmt;

import io.haulproof.agent.mgmt.mqtt.MqttManagementEndpoint;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.Enroller;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything the agent needs for provisioning and management, assembled: identity (key,
 * certificate, pinned root, CRL), the management service, and its MQTT endpoint. The runtime opens
 * it, takes the signing key from {@link #identity()}, and starts it on a worker thread (both {@link
 * #start} and {@link #close} block).
 */
public final class ManagementAgent implements AutoCloseable {
  private final DeviceIdentity identity;
  private final ManagementService service;
  private final MqttManagementEndpoint endpoint;

  private ManagementAgent(
      DeviceIdentity identity, ManagementService service, MqttManagementEndpoint endpoint) {
    this.identity = identity;
    this.service = service;
    this.endpoint = endpoint;
  }

  /**
   * Where the device identity (active key alias, certificates, {@code active.pub.pem}) lives under
   * {@code stateDir}.
   */
  public static Path identityDir(Path stateDir) {
    return stateDir.resolve("identity");
  }

  /**
   * Opens identity and state (creating the first key if there is none); nothing is connected yet.
   *
   * @throws IOException if state is damaged, or the device is not enrolled and has no claim file
   */
  public static ManagementAgent open(
      ManagementSettings s, AgentHooks hooks, Clock clock, MeterRegistry meters)
      throws IOException {
    DeviceIdentity identity =
        DeviceIdentity.open(identityDir(s.stateDir()), s.ref(), s.pinnedRoot(), s.keys(), clock);
    ManagementService service =
        ManagementService.open(s.stateDir().resolve("mgmt"), identity, hooks, clock, meters);
    Optional<Enroller> enroller = Optional.empty();
    if (!identity.enrolled()) {
      if (s.claimFile().isEmpty()) {
        throw new IOException(
            "device " + s.ref() + " is not enrolled and no claim file is configured");
      }
      enroller =
          Optional.of(
              new Enroller(identity, ClaimKey.load(s.claimFile().get()), s.firmware(), clock));
    }
    return new ManagementAgent(
        identity, service, new MqttManagementEndpoint(s.broker(), service, enroller));
  }

  public DeviceIdentity identity() {
    return identity;
  }

  public ManagementService service() {
    return service;
  }

  /**
   * Starts connecting to the broker (in the background, retrying forever), subscribes, and
   * publishes the enrollment request once connected if not enrolled. Returns at once.
   */
  public void start() {
    endpoint.start();
  }

  /** True while connected to the broker; for the health check. */
  public boolean connected() {
    return endpoint.connected();
  }

  /** Waits until connected and subscribed at least once. */
  public boolean awaitSubscribed(java.time.Duration timeout) throws InterruptedException {
    return endpoint.awaitSubscribed(timeout);
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
