package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Hash;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ChainVerifier} found: valid or not (with the first reason), entries and blocks
 * checked, the tree size and recomputed root, how many entries are not yet in a block, and the gaps
 * that signed {@code loss} entries name (empty for an invalid chain).
 */
public record VerificationResult(
    boolean valid,
    long entries,
    long blocks,
    long treeSize,
    Hash root,
    long unblockedEntries,
    Optional<String> reason,
    List<CoveredGap> coveredGaps) {
  public VerificationResult {
    if (valid == reason.isPresent()) {
      throw new IllegalArgumentException("a result is valid exactly when it has no reason");
    }
    coveredGaps = List.copyOf(coveredGaps);
  }

  /** An invalid result: {@code reason} is the first failure; no gaps are reported. */
  public static VerificationResult invalid(
      long entries, long blocks, long treeSize, Hash root, String reason) {
    return new VerificationResult(
        false, entries, blocks, treeSize, root, 0, Optional.of(reason), List.of());
  }
}
