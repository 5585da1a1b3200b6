package io.haulproof.ledger.fuzz;

import io.haulproof.lightchain.fuzz.FuzzRegistry;
import io.haulproof.lightchain.fuzz.JazzerRunCheck;

/** A short real Jazzer run over every ledger target ({@code -Dfuzz.seconds=S}: long mode). */
class LedgerFuzzIT extends JazzerRunCheck {
  @Override
  protected FuzzRegistry registry() {
    return new LedgerFuzzTargets();
  }
}
