package io.haulproof.lightchain.fuzz;

/** A short real Jazzer run over every lightchain target ({@code -Dfuzz.seconds=S}: long mode). */
class LightchainFuzzIT extends JazzerRunCheck {
  @Override
  protected FuzzRegistry registry() {
    return new LightchainFuzzTargets();
  }
}
