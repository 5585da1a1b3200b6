package io.haulproof.agent.health;

import java.util.Objects;

/**
 * The state of one part of the agent.
 *
 * @param ok whether the part works
 * @param critical whether the agent is not ready while this part is not ok (an offline uplink is
 *     normal on a truck)
 * @param reason why, in a few words
 */
public record HealthStatus(boolean ok, boolean critical, String reason) {
  public HealthStatus {
    Objects.requireNonNull(reason, "reason");
  }

  public static HealthStatus up(String reason) {
    return new HealthStatus(true, true, reason);
  }

  public static HealthStatus down(String reason) {
    return new HealthStatus(false, true, reason);
  }

  /** A part whose failure is reported but does not make the agent unready. */
  public static HealthStatus degraded(String reason) {
    return new HealthStatus(false, false, reason);
  }
}
