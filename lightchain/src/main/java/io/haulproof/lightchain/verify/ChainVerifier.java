package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointVerifier;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.poah.AuthenticatorSet;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.HeaderRule;
import io.haulproof.lightchain.poah.HeightRule;
import io.haulproof.lightchain.poah.LogTree;
import io.haulproof.lightchain.poah.PrevHashRule;
import io.haulproof.lightchain.poah.ProposerSignatureRule;
import io.haulproof.lightchain.poah.QuorumRule;
import io.haulproof.lightchain.poah.RangeRule;
import io.haulproof.lightchain.poah.RootRule;
import io.haulproof.lightchain.poah.RuleResult;
import io.haulproof.lightchain.poah.TrustScores;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Verifies a whole chain: every entry's signature against a registered, unrevoked key, the sequence
 * rules, the RFC 9162 roots (recomputed from the entries, never read from the stored tree), block
 * linkage and ranges, proposer signatures and PoAh quorums, and the latest signed checkpoint.
 *
 * <p>Entries go in chunks ({@link EntryWalk}): decoding and signature verification run in parallel
 * on a fork-join pool with one worker per core, while a reader thread fetches the next chunk; key
 * changes, sequence rules and root accumulation run in log order. The first failure by log position
 * is reported. In single-node mode the authenticator set is every key registered in the log (the
 * device key and keys it rotated to), quorum 1.
 *
 * <p>A gap (entries lost to damage, seqs a device skipped) is accepted only if a signed {@code
 * loss} entry later in the chain names it exactly; since that entry follows the gap, gaps are
 * judged after the last entry and before the blocks ({@link LossCoverage}). A lost entry enters the
 * recomputed roots with the leaf hash the source's stored tree kept, which the signed block roots
 * and checkpoint over it must then confirm.
 */
public final class ChainVerifier {
  static final int CHUNK = 4096;

  private final List<PublicKey> deviceKeys;
  private final int parallelism;
  private final int chunk;
  private LongConsumer progress = done -> {};

  /**
   * @param deviceKeys the keys registered before the first entry (normally {@code
   *     DATA/keys/device.pub.pem})
   */
  public ChainVerifier(List<PublicKey> deviceKeys) {
    this(deviceKeys, Runtime.getRuntime().availableProcessors());
  }

  public ChainVerifier(List<PublicKey> deviceKeys, int parallelism) {
    this(deviceKeys, parallelism, CHUNK);
  }

  /** With {@code chunk} entries decoded and verified per parallel step. */
  public ChainVerifier(List<PublicKey> deviceKeys, int parallelism, int chunk) {
    if (deviceKeys.isEmpty() || parallelism < 1 || chunk < 1) {
      throw new IllegalArgumentException(
          "need at least one device key, parallelism >= 1 and chunk >= 1");
    }
    this.deviceKeys = List.copyOf(deviceKeys);
    this.parallelism = parallelism;
    this.chunk = chunk;
  }

  /**
   * Called with the number of entries checked so far, from the calling thread, about once per
   * chunk.
   */
  public ChainVerifier onProgress(LongConsumer listener) {
    this.progress = listener;
    return this;
  }

  /**
   * Verifies {@code entries}, {@code blocks} and, if present, {@code checkpoint}.
   *
   * <p>An entry that cannot be read (an I/O error) makes the chain invalid with that reason; an
   * entry the source reports lost to damage is a gap that a signed loss entry must name.
   *
   * @throws IOException if the log's size cannot be read
   */
  public VerificationResult verify(
      EntrySource entries, List<Block> blocks, Optional<SignedNote> checkpoint) throws IOException {
    ForkJoinPool pool = new ForkJoinPool(parallelism);
    ExecutorService reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "chain-verify-reader");
              t.setDaemon(true);
              return t;
            });
    try {
      return run(entries, blocks, checkpoint, pool, reader);
    } finally {
      reader.shutdownNow();
      pool.shutdown();
    }
  }

  private VerificationResult run(
      EntrySource source,
      List<Block> blocks,
      Optional<SignedNote> checkpoint,
      ForkJoinPool pool,
      ExecutorService reader)
      throws IOException {
    long size = source.size();
    Set<Long> wantRoots = new HashSet<>();
    blocks.forEach(b -> wantRoots.add(b.header().treeSize()));
    checkpoint.flatMap(ChainVerifier::checkpointSize).ifPresent(wantRoots::add);
    EntryWalk walk = new EntryWalk(pool, deviceKeys, wantRoots, source);

    Future<Bytes[]> next = size > 0 ? readAhead(reader, source, 0, size) : null;
    for (long start = 0; start < size; ) {
      Bytes[] raw;
      try {
        raw = next.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("verification interrupted", e);
      } catch (ExecutionException e) {
        return invalid(
            walk, blocks, "entries from " + start + " unreadable: " + e.getCause().getMessage());
      }
      long after = start + raw.length;
      next = after < size ? readAhead(reader, source, after, size) : null;
      Optional<String> bad = walk.check(start, raw);
      if (bad.isPresent()) {
        return invalid(walk, blocks, bad.get());
      }
      progress.accept(after);
      start = after;
    }
    Optional<String> uncovered = walk.gaps().finish();
    if (uncovered.isPresent()) {
      return invalid(walk, blocks, uncovered.get());
    }

    Optional<String> badBlock = checkBlocks(blocks, size, walk);
    if (badBlock.isPresent()) {
      return invalid(walk, blocks, badBlock.get());
    }
    if (checkpoint.isPresent()) {
      Optional<String> bad =
          checkCheckpoint(checkpoint.get(), walk.everyKey(), size, walk.roots(), blocks);
      if (bad.isPresent()) {
        return invalid(walk, blocks, bad.get());
      }
    }
    long covered = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).header().treeSize();
    return new VerificationResult(
        true,
        size,
        blocks.size(),
        size,
        walk.root(),
        size - covered,
        Optional.empty(),
        walk.gaps().covered());
  }

  private static Optional<String> checkBlocks(List<Block> blocks, long size, EntryWalk walk)
      throws IOException {
    if (blocks.isEmpty()) {
      return Optional.empty();
    }
    Optional<AuthenticatorSet> set = authenticatorSet(walk.everyKey(), walk.keys());
    if (set.isEmpty()) {
      return Optional.of("every key that could sign blocks is revoked");
    }
    TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
    List<HeaderRule<? super LogTree>> rules =
        List.of(
            new HeightRule(),
            new PrevHashRule(),
            new RangeRule(),
            new RootRule(),
            new ProposerSignatureRule(set.get(), trust),
            new QuorumRule(set.get(), trust));
    LogTree ctx = new RecomputedTree(size, walk.roots());
    Optional<Block> parent = Optional.empty();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      for (HeaderRule<? super LogTree> rule : rules) {
        RuleResult r = rule.validate(b, parent, ctx);
        if (!r.passed()) {
          return Optional.of("block " + i + ": " + r.describe());
        }
      }
      parent = Optional.of(b);
    }
    return Optional.empty();
  }

  private Future<Bytes[]> readAhead(
      ExecutorService reader, EntrySource source, long from, long size) {
    int n = (int) Math.min(chunk, size - from);
    return reader.submit(
        () -> {
          Bytes[] out = new Bytes[n];
          source.readRange(from, out);
          return out;
        });
  }

  /** The tree size a checkpoint names, or empty if its text does not parse. */
  public static Optional<Long> checkpointSize(SignedNote note) {
    try {
      return Optional.of(Checkpoint.parse(note.text()).size());
    } catch (RuntimeException e) {
      return Optional.empty(); // reported by checkCheckpoint
    }
  }

  private static Optional<String> checkCheckpoint(
      SignedNote note, List<PublicKey> keys, long size, Map<Long, Hash> roots, List<Block> blocks) {
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(note.text());
    } catch (RuntimeException e) {
      return Optional.of("checkpoint: " + e.getMessage());
    }
    VerificationException last = null;
    boolean ok = false;
    for (PublicKey k : keys) {
      try {
        new CheckpointVerifier(cp.origin(), k).verify(note);
        ok = true;
        break;
      } catch (VerificationException e) {
        last = e;
      }
    }
    if (!ok) {
      return Optional.of(
          "checkpoint: not signed by a registered key: " + (last == null ? "" : last.getMessage()));
    }
    if (cp.size() > size) {
      return Optional.of("checkpoint: tree size " + cp.size() + " beyond the log's " + size);
    }
    Hash want = roots.get(cp.size());
    if (!cp.root().equals(want)) {
      return Optional.of(
          "checkpoint: wrong root " + cp.root() + " at size " + cp.size() + ", want " + want);
    }
    long lastBlock = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).header().treeSize();
    if (cp.size() > lastBlock) {
      return Optional.of(
          "checkpoint: tree size "
              + cp.size()
              + " beyond the last block's "
              + lastBlock
              + " (blocks missing)");
    }
    return Optional.empty();
  }

  private static Optional<AuthenticatorSet> authenticatorSet(
      List<PublicKey> everyKey, EntryKeys finalKeys) {
    List<AuthenticatorSet.Member> members = new ArrayList<>();
    Set<Kid> seen = new HashSet<>();
    for (PublicKey k : everyKey) {
      SignatureVerifier v = SignatureVerifier.of(k);
      if (seen.add(v.kid())) {
        members.add(new AuthenticatorSet.Member(v, finalKeys.isRevoked(v.kid())));
      }
    }
    boolean anyActive = members.stream().anyMatch(m -> !m.revoked());
    return anyActive ? Optional.of(AuthenticatorSet.of(members, 1)) : Optional.empty();
  }

  private static VerificationResult invalid(EntryWalk walk, List<Block> blocks, String reason) {
    return VerificationResult.invalid(walk.size(), blocks.size(), walk.size(), walk.root(), reason);
  }

  /**
   * The verified log as the block rules that read its tree see it: its size and the roots the entry
   * walk recomputed at block boundaries. The entries themselves were checked by the walk, so the
   * rules that read them are not run on blocks here.
   */
  private record RecomputedTree(long size, Map<Long, Hash> roots) implements LogTree {
    @Override
    public long logSize() {
      return size;
    }

    @Override
    public Hash rootAt(long treeSize) {
      Hash h = roots.get(treeSize);
      if (h == null) {
        throw new IllegalStateException("no recomputed root at " + treeSize);
      }
      return h;
    }
  }
}
