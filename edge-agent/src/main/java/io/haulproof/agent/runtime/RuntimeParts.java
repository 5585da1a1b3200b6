package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.AssemblerSettings;
import io.haulproof.agent.lift.BinRegistry;
import io.haulproof.agent.status.BinLookup;
import java.util.List;
import java.util.Objects;

/**
 * Everything the runtime wires together; built from the YAML config by {@code run}, or from the
 * simulated route by {@code demo}.
 *
 * @param deviceId device id, for the status page
 * @param clock the clocks
 * @param assembler lift assembler settings, or null on a gateway without a lifter
 * @param bins the allow-list
 * @param evidence the evidence log
 * @param lifts the bin look-up behind {@code GET /api/lifts} (a log with a bin index), or null for
 *     none (the route answers 404)
 * @param uplink delivery to the witness
 * @param sensors sensor inputs
 * @param chain block and checkpoint cadence
 * @param http HTTP server settings, or null for none
 * @param notifier service-manager notifications
 * @param watchdogMs keep-alive period, 0 for none
 * @param extras further verticles (management, smart-bin receivers), deployed after the sensors
 */
public record RuntimeParts(
    String deviceId,
    AgentClock clock,
    AssemblerSettings assembler,
    BinRegistry bins,
    EvidencePort evidence,
    BinLookup lifts,
    UplinkPort uplink,
    List<SensorSource> sensors,
    ChainConfig chain,
    HttpConfig http,
    Notifier notifier,
    long watchdogMs,
    List<io.vertx.core.Verticle> extras) {
  public RuntimeParts {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(bins, "bins");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(uplink, "uplink");
    sensors = List.copyOf(sensors);
    extras = List.copyOf(extras);
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(notifier, "notifier");
    if (watchdogMs < 0) {
      throw new IllegalArgumentException("watchdogMs " + watchdogMs + " < 0");
    }
  }
}
