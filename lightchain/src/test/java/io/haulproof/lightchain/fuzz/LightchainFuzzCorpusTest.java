package io.haulproof.lightchain.fuzz;

/** Every committed corpus input of the lightchain targets, in every build. */
class LightchainFuzzCorpusTest extends FuzzCorpusCheck {
  @Override
  protected FuzzRegistry registry() {
    return new LightchainFuzzTargets();
  }
}
