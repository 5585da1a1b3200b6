package io.haulproof.authenticator.truck;

import io.haulproof.authenticator.ConfigHistory;
import io.haulproof.authenticator.PoahSettings;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.poah.BlockSigning;
import io.haulproof.lightchain.poah.TrustScores;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Counts authentications towards finality and keeps the trust scores of authenticators, replaying
 * the durable record of received authentications in order, so the truck at run time and an auditor
 * later reach the same result from the same file.
 *
 * <p>Rules: an authentication counts for the block at its height if its kid is a member of the
 * settings in force for that block, its signature verifies over the exact header bytes, those bytes
 * are this chain's block at that height, and the member is trusted; a block is final once {@code
 * quorum} distinct members count, and stays final (it is final once). A member that signed a header
 * this chain does not have at that height (garbage, or a block it could not have checked) did
 * provably invalid work: its trust falls, and below the threshold its signatures stop counting. A
 * signature that does not verify proves nothing about the kid it names and is only counted as
 * unattributable.
 *
 * <p>Thread-safe.
 */
public final class FinalityTracker {
  /** What one authentication did. */
  public enum Effect {
    COUNTED,
    FINAL,
    DUPLICATE,
    UNTRUSTED,
    NOT_A_MEMBER,
    SINGLE_NODE,
    UNATTRIBUTABLE,
    WRONG_HEADER,
    NO_SUCH_BLOCK
  }

  private final ConfigHistory configs;
  private final LongFunction<Optional<Block>> blockAt;
  private final TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
  private final Map<Long, Set<Kid>> signers = new HashMap<>();
  private final Set<Long> finalHeights = new TreeSet<>();
  private final Map<Kid, Integer> wrongHeaders = new HashMap<>();
  private long unattributable;

  /**
   * @param blockAt this chain's sealed block at a height, if sealed
   */
  public FinalityTracker(ConfigHistory configs, LongFunction<Optional<Block>> blockAt) {
    this.configs = configs;
    this.blockAt = blockAt;
  }

  public synchronized Effect add(PoahWire.Authentication a) {
    long height;
    try {
      height = a.height();
    } catch (RuntimeException e) {
      unattributable++;
      return Effect.UNATTRIBUTABLE;
    }
    Optional<Block> ours = blockAt.apply(height);
    Optional<PoahSettings> settings =
        configs.inForce(
            ours.map(b -> b.header().treeSize())
                .orElse(
                    io.haulproof.lightchain.block.BlockCodec.decodeHeader(a.headerBytes())
                        .treeSize()));
    if (settings.isEmpty()) {
      return Effect.SINGLE_NODE;
    }
    Kid kid = a.signature().kid();
    PoahSettings.Member m = settings.get().members().get(kid);
    if (m == null) {
      return Effect.NOT_A_MEMBER;
    }
    try {
      m.verifier()
          .verify(BlockSigning.authenticationMessage(a.headerBytes()), a.signature().signature());
    } catch (VerificationException e) {
      unattributable++;
      return Effect.UNATTRIBUTABLE;
    }
    if (ours.isEmpty()) {
      trust.recordInvalid(kid);
      wrongHeaders.merge(kid, 1, Integer::sum);
      return Effect.NO_SUCH_BLOCK;
    }
    if (!ours.get().headerBytes().equals(a.headerBytes())) {
      trust.recordInvalid(kid);
      wrongHeaders.merge(kid, 1, Integer::sum);
      return Effect.WRONG_HEADER;
    }
    if (!trust.isTrusted(kid)) {
      return Effect.UNTRUSTED;
    }
    Set<Kid> s = signers.computeIfAbsent(height, h -> new HashSet<>());
    if (!s.add(kid)) {
      return Effect.DUPLICATE;
    }
    trust.recordValid(kid);
    if (s.size() >= settings.get().quorum() && finalHeights.add(height)) {
      return Effect.FINAL;
    }
    return Effect.COUNTED;
  }

  public synchronized boolean isFinal(long height) {
    return finalHeights.contains(height);
  }

  /** Distinct members counted at {@code height}. */
  public synchronized int count(long height) {
    Set<Kid> s = signers.get(height);
    return s == null ? 0 : s.size();
  }

  public synchronized int score(Kid kid) {
    return trust.score(kid);
  }

  public synchronized boolean isTrusted(Kid kid) {
    return trust.isTrusted(kid);
  }

  /** How many headers {@code kid} signed that are not this chain's. */
  public synchronized int wrongHeaders(Kid kid) {
    return wrongHeaders.getOrDefault(kid, 0);
  }

  public synchronized long unattributable() {
    return unattributable;
  }

  /**
   * The distinct authenticator sets governing this chain's blocks at {@code fromHeight..toHeight}
   * (a height not sealed here: the latest set), to attribute a node's rejection or need to a member
   * by the same configuration as its authentications. Empty when those blocks are single-node.
   */
  public synchronized List<PoahSettings> governing(long fromHeight, long toHeight) {
    return configs.inForceOver(treeSizeAt(fromHeight), treeSizeAt(toHeight));
  }

  private long treeSizeAt(long height) {
    return blockAt.apply(height).map(b -> b.header().treeSize()).orElse(Long.MAX_VALUE);
  }

  /** The settings governing {@code block}: empty for single-node. */
  public synchronized Optional<PoahSettings> settingsFor(Block block) {
    return configs.inForce(block.header().treeSize());
  }
}
