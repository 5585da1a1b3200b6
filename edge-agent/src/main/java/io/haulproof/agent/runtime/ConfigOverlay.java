package io.haulproof.agent.runtime;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.RouteConfig;
import io.haulproof.agent.config.UplinkConfig;
import io.haulproof.authenticator.PoahSettings;
import java.util.Map;
import java.util.Set;

/**
 * The management configuration (signed {@code config} requests, kept as snapshots) laid over the
 * YAML file at startup, so that what management set survives a restart and keys that cannot change
 * while running take effect at the next start.
 *
 * <p>Keys: {@code route.tour}, {@code route.crew} (also applied live), {@code uplink.broker}
 * (applied at the next restart: the uplink's connection and outbox are built once), {@code
 * calibration.<scale>.<name>} (applied live by ADC scales, recorded for the others), {@code
 * poah.quorum} and {@code poah.authenticator.<name>} (the PoAh set, docs/chain.md). Nothing else is
 * accepted ({@link RuntimeHooks} refuses it, so the request is rolled back).
 */
public final class ConfigOverlay {
  /** Keys that take effect only at the next start. */
  public static final Set<String> RESTART_KEYS = Set.of("uplink.broker");

  private ConfigOverlay() {}

  /**
   * Whether this agent understands the management config key {@code key} (any other key is refused
   * and the request rolled back); the provisioning runbook's examples are checked against this.
   */
  public static boolean understood(String key) {
    return key.equals("route.tour")
        || key.equals("route.crew")
        || key.equals("uplink.broker")
        || key.startsWith("calibration.")
        || key.equals(PoahSettings.QUORUM)
        || key.startsWith(PoahSettings.MEMBER_PREFIX);
  }

  /** {@code c} with the managed values of {@code values} applied. */
  public static AgentConfig apply(AgentConfig c, Map<String, String> values) {
    RouteConfig route = c.route();
    if (values.containsKey("route.tour") || values.containsKey("route.crew")) {
      route =
          new RouteConfig(
              values.getOrDefault("route.tour", route.tour()),
              values.getOrDefault("route.crew", route.crew()));
    }
    UplinkConfig uplink = c.uplink();
    String broker = values.get("uplink.broker");
    if (broker != null && uplink != null && !uplink.isCoap()) {
      uplink =
          new UplinkConfig(
              broker,
              uplink.tls(),
              uplink.reconnectMaxMs(),
              uplink.witnessKey(),
              uplink.checkpointIntervalMs(),
              uplink.username(),
              uplink.passwordFile(),
              null,
              null);
    }
    return new AgentConfig(
        c.device(),
        route,
        c.scale(),
        c.rfid(),
        c.gps(),
        c.bins(),
        c.lift(),
        c.chain(),
        uplink,
        c.management(),
        c.remote(),
        c.http(),
        c.keystore(),
        c.poah());
  }
}
