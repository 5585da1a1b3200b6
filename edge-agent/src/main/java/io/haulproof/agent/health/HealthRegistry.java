package io.haulproof.agent.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Liveness and readiness of the agent, from named checks each part registers.
 *
 * <p>Thread-safe. Readiness needs every part started and every critical check ok (a configured
 * sensor that is not delivering makes the agent not ready, with the sensor and port in the reason).
 * Liveness is about the agent's own loops: it fails on a fatal error or when a liveness check (a
 * driver's reader loop dead or stuck) fails; systemd keep-alives follow liveness, so a missing
 * sensor never causes a restart loop while a dead loop does.
 */
public final class HealthRegistry {
  private final Map<String, Supplier<HealthStatus>> checks = new ConcurrentHashMap<>();
  private final Map<String, Supplier<HealthStatus>> liveness = new ConcurrentHashMap<>();
  private volatile boolean started;
  private volatile String fatal;

  public void register(String name, Supplier<HealthStatus> check) {
    checks.put(name, check);
  }

  /**
   * A check of one of the agent's own loops: while it is not ok the agent is not live (and not
   * ready), so keep-alives stop and systemd restarts it. Listed with the other checks under {@code
   * name}.
   */
  public void registerLiveness(String name, Supplier<HealthStatus> check) {
    liveness.put(name, check);
  }

  /** Called once every part is up. */
  public void markStarted() {
    started = true;
  }

  /** Called when the agent is shutting down, so readiness drops first. */
  public void markStopping() {
    started = false;
  }

  /** A part failed beyond recovery: liveness fails from now on. */
  public void markFatal(String reason) {
    fatal = reason;
  }

  /** A consistent view of all checks, evaluated now. */
  public Report report() {
    Map<String, HealthStatus> results = new LinkedHashMap<>();
    Map<String, HealthStatus> loops = new LinkedHashMap<>();
    liveness.keySet().stream()
        .sorted()
        .forEach(name -> loops.put(name, evaluate(liveness.get(name))));
    checks.keySet().stream()
        .sorted()
        .forEach(name -> results.put(name, evaluate(checks.get(name))));
    String deadLoop =
        loops.entrySet().stream()
            .filter(e -> !e.getValue().ok())
            .map(e -> e.getKey() + ": " + e.getValue().reason())
            .findFirst()
            .orElse(null);
    results.putAll(loops);
    boolean live = fatal == null && deadLoop == null;
    boolean ready =
        live && started && results.values().stream().allMatch(s -> s.ok() || !s.critical());
    String reason;
    if (fatal != null) {
      reason = "fatal: " + fatal;
    } else if (deadLoop != null) {
      reason = "not live: " + deadLoop;
    } else if (!started) {
      reason = "starting";
    } else {
      reason =
          results.entrySet().stream()
              .filter(e -> !e.getValue().ok() && e.getValue().critical())
              .map(e -> e.getKey() + ": " + e.getValue().reason())
              .findFirst()
              .orElse("ok");
    }
    return new Report(live, ready, reason, Map.copyOf(results));
  }

  private static HealthStatus evaluate(Supplier<HealthStatus> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return HealthStatus.down("check failed: " + e);
    }
  }

  /**
   * One evaluation of all checks.
   *
   * @param live the process should keep running (no fatal error, every liveness check ok)
   * @param ready every part is up and every critical check passes
   * @param reason "ok", or the first reason it is not ready
   * @param checks each check's status
   */
  public record Report(
      boolean live, boolean ready, String reason, Map<String, HealthStatus> checks) {}
}
