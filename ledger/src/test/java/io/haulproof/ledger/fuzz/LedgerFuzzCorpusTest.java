package io.haulproof.ledger.fuzz;

import io.haulproof.lightchain.fuzz.FuzzCorpusCheck;
import io.haulproof.lightchain.fuzz.FuzzRegistry;

/** Every committed corpus input of the ledger targets, in every build. */
class LedgerFuzzCorpusTest extends FuzzCorpusCheck {
  @Override
  protected FuzzRegistry registry() {
    return new LedgerFuzzTargets();
  }
}
