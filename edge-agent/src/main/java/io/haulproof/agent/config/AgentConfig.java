package io.haulproof.agent.config;

import java.util.List;

/**
 * The whole agent configuration, one YAML file ({@code haulproof run --config FILE}); see {@code
 * edge-agent/config/}.
 *
 * <p>Sensors are optional: a depot gateway has no scale or RFID reader, only remote receivers and
 * the uplink.
 *
 * <p>{@code poah} (optional) proposes the truck's blocks to authenticator nodes (multi-node
 * Proof-of-Authentication, docs/chain.md); it needs {@code management}.
 */
public record AgentConfig(
    DeviceConfig device,
    RouteConfig route,
    ScaleConfig scale,
    List<RfidConfig> rfid,
    GpsConfig gps,
    BinsConfig bins,
    LiftConfig lift,
    ChainConfig chain,
    UplinkConfig uplink,
    ManagementConfig management,
    RemoteConfig remote,
    HttpConfig http,
    KeystoreConfig keystore,
    PoahConfig poah) {
  public AgentConfig {
    Check.required("device", device);
    route = Check.orDefault(route, RouteConfig.defaults());
    rfid = List.copyOf(Check.orDefault(rfid, List.of()));
    bins = Check.orDefault(bins, BinsConfig.defaults());
    lift = Check.orDefault(lift, LiftConfig.defaults());
    chain = Check.orDefault(chain, ChainConfig.defaults());
    http = Check.orDefault(http, HttpConfig.defaults());
    keystore = Check.orDefault(keystore, KeystoreConfig.defaults());
    if (poah != null && management == null) {
      throw new ConfigException(
          "poah",
          "needs a management section: the authenticator set and quorum come from signed"
              + " management config, and the device certificate the nodes check from enrollment");
    }
    if (scale == null && rfid.isEmpty() && remote == null) {
      throw new ConfigException(
          "scale", "or rfid or remote is required: the agent has nothing to record");
    }
    if (!rfid.isEmpty() && scale == null && bins.enforce() && bins.registered().isEmpty()) {
      throw new ConfigException(
          "bins.registered", "is empty while bins.enforce is true: every lift would be blocked");
    }
  }

  /** True when the agent assembles lifts (it has an RFID reader or a scale). */
  public boolean hasLifter() {
    return scale != null || !rfid.isEmpty();
  }
}
