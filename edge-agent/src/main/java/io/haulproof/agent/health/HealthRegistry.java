package io.haulproof.agent.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Liveness and readiness of the agent, from named checks each part registers.
 *
 * <p>Thread-safe. Readiness needs every part started and every critical check ok; liveness fails only on a fatal
 * error (the agent should then be restarted by systemd).
 */
public final class HealthRegistry {
  private final Map<String, Supplier<HealthStatus>> checks = new ConcurrentHashMap<>();
  private volatile boolean started;
  private volatile String fatal;

  public void register(String name, Supplier<HealthStatus> check) {
    checks.put(name, check);
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
    checks.keySet().stream().sorted().forEach(name -> results.put(name, evaluate(checks.get(name))));
    boolean live = fatal == null;
    boolean ready = live && started && results.values().stream().allMatch(s -> s.ok() || !s.critical());
    String reason;
    if (!live) {
      reason = "fatal: " + fatal;
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
   * @param live the process should keep running
   * @param ready every part is up and every critical check passes
   * @param reason "ok", or the first reason it is not ready
   * @param checks each check's status
   */
  public record Report(boolean live, boolean ready, String reason, Map<String, HealthStatus> checks) {}
}
