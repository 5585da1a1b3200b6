package io.haulproof.agent.fuzz;

import io.haulproof.lightchain.fuzz.FuzzCorpusCheck;
import io.haulproof.lightchain.fuzz.FuzzRegistry;

/** Every committed corpus input of the edge-agent targets, in every build. */
class AgentFuzzCorpusTest extends FuzzCorpusCheck {
  @Override
  protected FuzzRegistry registry() {
    return new AgentFuzzTargets();
  }
}
