package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;
import java.util.Optional;

/** A node that proposes blocks: builds the next header over a log range and signs it. */
public interface Proposer {
  /** The kid of the key this proposer signs with. */
  Kid kid();

  /**
   * Builds and signs the block after {@code parent} over entries {@code [firstIndex, firstIndex +
   * count)}.
   *
   * @param treeRoot the RFC 9162 root at {@code firstIndex + count}
   * @param timeMillis the proposer's wall clock, Unix milliseconds
   */
  Block propose(
      Optional<Block> parent, long firstIndex, long count, Hash treeRoot, long timeMillis);
}
