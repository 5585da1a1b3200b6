package io.haulproof.agent.fuzz;

import io.haulproof.lightchain.fuzz.FuzzRegistry;
import io.haulproof.lightchain.fuzz.JazzerRunCheck;

/** A short real Jazzer run over every edge-agent target ({@code -Dfuzz.seconds=S}: long mode). */
class AgentFuzzIT extends JazzerRunCheck {
  @Override
  protected FuzzRegistry registry() {
    return new AgentFuzzTargets();
  }
}
