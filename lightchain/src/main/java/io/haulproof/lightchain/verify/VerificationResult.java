package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Hash;
import java.util.Optional;

/**
 * What {@link ChainVerifier} found: valid or not (with the first reason), entries and blocks
 * checked, the tree size and recomputed root, and how many entries are not yet in a block.
 */
public record VerificationResult(
    boolean valid,
    long entries,
    long blocks,
    long treeSize,
    Hash root,
    long unblockedEntries,
    Optional<String> reason) {
  public VerificationResult {
    if (valid == reason.isPresent()) {
      throw new IllegalArgumentException("a result is valid exactly when it has no reason");
    }
  }
}
