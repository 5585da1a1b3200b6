package io.haulproof.agent.status;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.index.BinIndex;
import java.io.IOException;
import java.util.List;

/** The agent's look-up of one bin's lifts behind {@code GET /api/lifts}; blocking. */
@FunctionalInterface
public interface BinLookup {
  List<BinIndex.Lift> lifts(Bytes tag) throws IOException;
}
