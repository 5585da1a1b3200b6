package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each node's view of how far it trusts the other nodes, after Proof-of-Authentication (Puthal and
 * Mohanty 2019): valid work raises a score, invalid work lowers it, and a node below the threshold
 * is untrusted. Scores live in memory and start again from the policy's initial value at each
 * start; in multi-node mode they are derived state, rebuilt from the recorded evidence.
 *
 * <p>Equivocation (one proposer signing two different block headers at the same height) makes the
 * proposer untrusted at once and for good, whatever its score; {@link #observeProposal} returns the
 * evidence so the caller can record it. Callers must pass only proposals whose proposer signature
 * has been verified, or anyone could frame a proposer. Thread-safe.
 */
public final class TrustScores {
  /** Scoring parameters; scores are clamped to {@code [0, max]}. */
  public record Policy(int initial, int threshold, int reward, int penalty, int max) {
    public Policy {
      if (initial < 0 || threshold < 0 || reward < 0 || penalty < 1 || max < initial) {
        throw new IllegalArgumentException(
            "bad trust policy "
                + initial
                + "/"
                + threshold
                + "/"
                + reward
                + "/"
                + penalty
                + "/"
                + max);
      }
    }

    /**
     * Starts trusted (10 of 100, threshold 5); one invalid block costs 5, one valid block earns 1.
     */
    public static Policy defaults() {
      return new Policy(10, 5, 1, 5, 100);
    }
  }

  private final Policy policy;
  private final Map<Kid, Integer> scores = new HashMap<>();
  private final Set<Kid> banned = new HashSet<>();

  /**
   * Heights below the newest one seen per proposer that are still remembered for equivocation
   * checks; older proposals are forgotten, so memory stays bounded however long the chain grows.
   */
  public static final long KEEP_HEIGHTS = 64;

  private final Map<Kid, java.util.NavigableMap<Long, Block>> proposals = new HashMap<>();

  public TrustScores(Policy policy) {
    this.policy = policy;
  }

  public synchronized void recordValid(Kid kid) {
    scores.put(kid, Math.min(policy.max(), score(kid) + policy.reward()));
  }

  public synchronized void recordInvalid(Kid kid) {
    scores.put(kid, Math.max(0, score(kid) - policy.penalty()));
  }

  public synchronized int score(Kid kid) {
    return scores.getOrDefault(kid, policy.initial());
  }

  public synchronized boolean isTrusted(Kid kid) {
    return !banned.contains(kid) && score(kid) >= policy.threshold();
  }

  /**
   * Remembers that {@code proposerKid} signed {@code block} at its height; if it signed a block
   * with a different header there before, bans the proposer at once and returns that earlier block
   * as evidence. Only the last {@link #KEEP_HEIGHTS} heights per proposer are remembered.
   *
   * <p>Precondition: the proposer signature of {@code block} has been verified with {@code
   * proposerKid}'s key.
   */
  public synchronized Optional<Block> observeProposal(Kid proposerKid, Block block) {
    java.util.NavigableMap<Long, Block> seen =
        proposals.computeIfAbsent(proposerKid, k -> new java.util.TreeMap<>());
    Block earlier = seen.putIfAbsent(block.header().height(), block);
    seen.headMap(seen.lastKey() - KEEP_HEIGHTS, false).clear();
    if (earlier == null || earlier.headerBytes().equals(block.headerBytes())) {
      return Optional.empty();
    }
    banned.add(proposerKid);
    return Optional.of(earlier);
  }

  /**
   * Forgets proposals below {@code height} to bound memory; equivocation there can no longer be
   * detected.
   */
  public synchronized void forgetBelow(long height) {
    proposals.values().forEach(m -> m.keySet().removeIf(h -> h < height));
  }
}
