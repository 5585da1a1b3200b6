package io.haulproof.ledger.fuzz;

import io.haulproof.lightchain.fuzz.FuzzRegistry;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.util.List;

/** The ledger's fuzz targets: entries, lost placeholders and checkpoints as trucks send them. */
public final class LedgerFuzzTargets implements FuzzRegistry {
  @Override
  public List<FuzzTarget> targets() {
    return LedgerTargets.all();
  }
}
