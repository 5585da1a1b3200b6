package io.haulproof.agent.fuzz;

import io.haulproof.lightchain.fuzz.FuzzRegistry;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.util.ArrayList;
import java.util.List;

/** The edge-agent's fuzz targets: management requests, enrollment, YAML configuration. */
public final class AgentFuzzTargets implements FuzzRegistry {
  @Override
  public List<FuzzTarget> targets() {
    List<FuzzTarget> all = new ArrayList<>(ManagementTargets.all());
    all.addAll(EnrollmentTargets.all());
    all.addAll(ConfigTargets.all());
    return all;
  }
}
