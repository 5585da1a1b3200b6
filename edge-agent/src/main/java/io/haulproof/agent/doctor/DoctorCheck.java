package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import java.util.List;

/**
 * One kind of self-check over a valid configuration; it may report several findings (one per
 * sensor, say).
 */
public interface DoctorCheck {
  /**
   * Runs the check; never throws for a problem it is meant to find, it reports a FAIL finding
   * instead.
   */
  List<Finding> run(AgentConfig config);
}
