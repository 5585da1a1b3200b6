package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.EnrollResponse;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's management endpoint, independent of the transport: takes the bytes of a {@code
 * mgmt/req} message and returns the {@code mgmt/res} answer (DESIGN.md, "Provisioning and
 * management", step 5).
 *
 * <p>Security guarantees: a request acts only after {@link RequestVerifier} accepted it and its
 * version was durably recorded by the {@link ReplayGuard}; every refusal is answered with a {@link
 * RejectReason}, counted in the meter {@code haulproof.mgmt.requests} (tags op, status, reason),
 * and leaves the running configuration and key unchanged. {@link #handle} never throws. Calls are
 * serialised; run them on a worker thread, never on an event loop, because they fsync and wait for
 * the log.
 */
public final class ManagementService {
  /** A response, and what to run once it has been handed to the transport (the reboot). */
  public record Handled(MgmtResponse response, Optional<Runnable> after) {}

  private final DeviceIdentity identity;
  private final ReplayGuard replay;
  private final ConfigStore config;
  private final AgentHooks hooks;
  private final MeterRegistry meters;
  private final RequestVerifier verifier;
  private final ConfigOps configOps;
  private final KeyOps keyOps;
  private final InfoOps infoOps;
  private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private long accepted;

  public ManagementService(
      DeviceIdentity identity,
      ConfigStore config,
      ReplayGuard replay,
      AgentHooks hooks,
      Clock clock,
      MeterRegistry meters) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.config = Objects.requireNonNull(config, "config");
    this.replay = Objects.requireNonNull(replay, "replay");
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.verifier = new RequestVerifier(identity.ref(), identity::trust, replay, clock);
    this.configOps = new ConfigOps(config, hooks);
    this.keyOps = new KeyOps(identity, hooks);
    this.infoOps = new InfoOps(identity, config, hooks);
  }

  /**
   * Opens the config store ({@code stateDir/config}) and replay state ({@code stateDir/replay})
   * under {@code stateDir}.
   */
  public static ManagementService open(
      Path stateDir, DeviceIdentity identity, AgentHooks hooks, Clock clock, MeterRegistry meters)
      throws IOException {
    return new ManagementService(
        identity,
        ConfigStore.open(stateDir.resolve("config")),
        ReplayGuard.open(stateDir.resolve("replay")),
        hooks,
        clock,
        meters);
  }

  public DeviceIdentity identity() {
    return identity;
  }

  /** The configuration currently in force (version 0 and empty before the first change). */
  public ConfigSnapshot currentConfig() {
    return config.current();
  }

  /** Handles one request; never throws. */
  public synchronized Handled handle(Bytes request) {
    String op = "unknown";
    long version = -1;
    try {
      if (!identity.enrolled()) {
        throw new MgmtException(
            RejectReason.NOT_ENROLLED, "device " + identity.ref() + " has no certificate yet");
      }
      VerifiedRequest v = verifier.verify(request);
      op = v.op().wire();
      version = v.request().version();
      replay.accept(v.issuer(), version);
      Map<String, Object> result = dispatch(v);
      count(op, null);
      accepted++;
      Optional<Runnable> after =
          v.op() == MgmtOp.REBOOT ? Optional.of(hooks::reboot) : Optional.empty();
      return new Handled(MgmtResponse.ok(v, result), after);
    } catch (MgmtException e) {
      count(op, e.reason());
      return new Handled(
          MgmtResponse.rejected(identity.ref().device(), op, version, e), Optional.empty());
    } catch (Exception e) {
      MgmtException wrapped =
          new MgmtException(
              RejectReason.APPLY_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      count(op, wrapped.reason());
      return new Handled(
          MgmtResponse.rejected(identity.ref().device(), op, version, wrapped), Optional.empty());
    }
  }

  private Map<String, Object> dispatch(VerifiedRequest v) throws Exception {
    switch (v.op()) {
      case CONFIG:
        return configOps.config(v);
      case CALIBRATE:
        return configOps.calibrate(v);
      case ROTATE_KEY:
        return keyOps.rotate(v);
      case REVOKE:
        return keyOps.revoke(v);
      case INVENTORY:
        return infoOps.inventory();
      case LOGS:
        return infoOps.logs(v);
      case REBOOT:
        return infoOps.reboot();
      default:
        throw new MgmtException(RejectReason.UNSUPPORTED_OP, "op " + v.op() + " has no handler");
    }
  }

  /**
   * Enrollment step 4: checks and installs the technician's response, logs a {@code key} entry
   * (ENROLL), tells the runtime, and applies the initial configuration it carries through the
   * normal request checks.
   *
   * @return the answer to the initial configuration, if there was one
   * @throws io.haulproof.agent.provision.EnrollmentException or {@link
   *     io.haulproof.agent.provision.TrustException} if the response is refused; nothing is
   *     installed then
   */
  public synchronized Optional<MgmtResponse> acceptEnrollment(Enroller enroller, Bytes wire)
      throws Exception {
    EnrollResponse res = enroller.accept(wire);
    List<X509Certificate> chain = identity.chain();
    DeviceKey key = identity.activeKey();
    hooks.appendEvidence(
        new KeyBody(
            KeyAction.ENROLL,
            key.kid(),
            Bytes.wrap(key.publicKey().getEncoded()),
            chain.stream().map(Certificates::der).toList(),
            Optional.empty(),
            Optional.of("certificate " + chain.get(0).getSerialNumber().toString(16))));
    hooks.enrolled(chain);
    return res.initialConfig().map(c -> handle(c).response());
  }

  /** How many requests were refused for {@code reason} since start. */
  public synchronized long rejectedCount(RejectReason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  public synchronized long acceptedCount() {
    return accepted;
  }

  private void count(String op, RejectReason reason) {
    if (reason != null) {
      rejected.merge(reason, 1L, Long::sum);
    }
    meters
        .counter(
            "haulproof.mgmt.requests",
            "op",
            op,
            "status",
            reason == null ? "ok" : "rejected",
            "reason",
            reason == null ? "none" : reason.name())
        .increment();
  }
}
