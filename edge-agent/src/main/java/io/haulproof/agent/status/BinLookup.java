package io.haulproof.agent.status;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.index.BinIndex;
import java.io.IOException;
import java.util.List;

/**
 * The agent's look-up of one bin's lifts behind {@code GET /api/lifts}; blocking, never called on
 * an event loop. Only an evidence log with a bin index offers it ({@code LightchainEvidence}).
 */
@FunctionalInterface
public interface BinLookup {
  /**
   * The lifts of bin {@code tag} in log order.
   *
   * @throws IOException if the log cannot be read
   */
  List<BinIndex.Lift> lifts(Bytes tag) throws IOException;
}
