package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;

/**
 * A block header: {@code {height, prev_block_hash, first_index, count, tree_size, tree_root, time,
 * proposer_kid}} (DESIGN.md, "Blocks and Proof-of-Authentication").
 *
 * <p>The block covers log entries {@code [firstIndex, firstIndex + count)}; {@code treeRoot} is the
 * RFC 9162 root of the whole log at {@code treeSize}; {@code time} is the proposer's wall clock in
 * Unix milliseconds (informative only: ordering comes from height and indexes). The constructor
 * checks syntax only; whether a header fits its chain is for the {@code poah} rules to say, with a
 * reason.
 */
public record BlockHeader(
    long height,
    Hash prevBlockHash,
    long firstIndex,
    long count,
    long treeSize,
    Hash treeRoot,
    long time,
    Kid proposerKid) {
  /** The previous-block hash of the genesis block: 32 zero bytes. */
  public static final Hash GENESIS_PREV = Hash.of(new byte[Hash.SIZE]);

  public BlockHeader {
    if (height < 0 || firstIndex < 0 || count < 0 || treeSize < 0 || time < 0) {
      throw new IllegalArgumentException(
          "negative header field: height "
              + height
              + ", first_index "
              + firstIndex
              + ", count "
              + count
              + ", tree_size "
              + treeSize
              + ", time "
              + time);
    }
    if (prevBlockHash == null || treeRoot == null || proposerKid == null) {
      throw new IllegalArgumentException("missing header field");
    }
  }
}
