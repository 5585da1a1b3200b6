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
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.poah.AuthenticatorSet;
import io.haulproof.lightchain.poah.BlockContext;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.HeaderRule;
import io.haulproof.lightchain.poah.HeightRule;
import io.haulproof.lightchain.poah.PrevHashRule;
import io.haulproof.lightchain.poah.ProposerSignatureRule;
import io.haulproof.lightchain.poah.QuorumRule;
import io.haulproof.lightchain.poah.RangeRule;
import io.haulproof.lightchain.poah.RootRule;
import io.haulproof.lightchain.poah.RuleResult;
import io.haulproof.lightchain.poah.SequenceTracker;
import io.haulproof.lightchain.poah.SignedEntry;
import io.haulproof.lightchain.poah.TrustScores;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Verifies a whole chain: every entry's signature against a registered, unrevoked key, the sequence rules, the RFC
 * 9162 roots (recomputed from the entries, never read from the stored tree), block linkage and ranges, proposer
 * signatures and PoAh quorums, and the latest signed checkpoint.
 *
 * <p>Work goes in chunks: decoding and signature verification run in parallel on a fork-join pool with one worker
 * per core; key changes, sequence rules and root accumulation run in log order on the calling thread. The first
 * failure by log position is reported. In single-node mode the authenticator set is every key registered in the log
 * (the device key and keys it rotated to), quorum 1.
 */
public final class ChainVerifier {
  static final int CHUNK = 4096;

  private final List<PublicKey> deviceKeys;
  private final int parallelism;
  private final int chunk;
  private LongConsumer progress = done -> {};

  /**
   * @param deviceKeys the keys registered before the first entry (normally {@code DATA/keys/device.pub.pem})
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
      throw new IllegalArgumentException("need at least one device key, parallelism >= 1 and chunk >= 1");
    }
    this.deviceKeys = List.copyOf(deviceKeys);
    this.parallelism = parallelism;
    this.chunk = chunk;
  }

  /** Called with the number of entries checked so far, from the calling thread, about once per chunk. */
  public ChainVerifier onProgress(LongConsumer listener) {
    this.progress = listener;
    return this;
  }

  /** A decoded entry plus what the parallel pass learned; {@code failure} is set if it could not be decoded. */
  private static final class Item {
    SignedEntry entry;
    byte[] leafHash;
    String failure;
    SignatureVerifier verifier;
  }

  /**
   * Verifies {@code entries}, {@code blocks} and, if present, {@code checkpoint}.
   *
   * <p>An entry that cannot be read (lost to damage, or an I/O error) makes the chain invalid with that reason.
   *
   * @throws IOException if the log's size cannot be read
   */
  public VerificationResult verify(EntrySource entries, List<Block> blocks, Optional<SignedNote> checkpoint)
      throws IOException {
    ForkJoinPool pool = new ForkJoinPool(parallelism);
    try {
      return run(entries, blocks, checkpoint, pool);
    } finally {
      pool.shutdown();
    }
  }

  private VerificationResult run(
      EntrySource source, List<Block> blocks, Optional<SignedNote> checkpoint, ForkJoinPool pool)
      throws IOException {
    long size = source.size();
    EntryKeys keys = EntryKeys.of(deviceKeys.toArray(PublicKey[]::new));
    List<PublicKey> everyKey = new ArrayList<>(deviceKeys);
    SequenceTracker sequences = new SequenceTracker();
    RootAccumulator acc = new RootAccumulator();
    Map<Long, Hash> roots = new HashMap<>();
    java.util.Set<Long> wantRoots = new java.util.HashSet<>();
    for (Block b : blocks) {
      wantRoots.add(b.header().treeSize());
    }
    Optional<Long> cpSize = checkpoint.flatMap(ChainVerifier::checkpointSize);
    cpSize.ifPresent(wantRoots::add);
    roots.put(0L, acc.root());

    for (long start = 0; start < size; start += chunk) {
      int n = (int) Math.min(chunk, size - start);
      Bytes[] raw = new Bytes[n];
      for (int i = 0; i < n; i++) {
        try {
          raw[i] = source.read(start + i);
        } catch (IOException e) {
          return invalid(start + i, blocks.size(), acc, "entry " + (start + i) + " unreadable: " + e.getMessage());
        }
      }
      Item[] items = new Item[n];
      long base = start;
      parallel(pool, n, i -> items[i] = decode(base + i, raw[i]));
      // In log order: keys, sequences, roots.
      String orderFailure = null;
      long orderFailureAt = Long.MAX_VALUE;
      for (int i = 0; i < n && orderFailure == null; i++) {
        long index = start + i;
        Item it = items[i];
        if (it.failure != null) {
          orderFailure = it.failure;
          orderFailureAt = index;
          break;
        }
        Kid kid = it.entry.cose().kid();
        Optional<SignatureVerifier> v = keys.active(kid);
        if (v.isEmpty()) {
          orderFailure =
              "entry " + index + " signed by " + (keys.isRevoked(kid) ? "revoked" : "unregistered") + " key " + kid;
          orderFailureAt = index;
          break;
        }
        it.verifier = v.get();
        EntryHeader h = it.entry.entry().header();
        RuleResult r = sequences.accept(index, h.deviceId(), h.bootEpoch(), h.seq());
        if (!r.passed()) {
          orderFailure = r.reason();
          orderFailureAt = index;
          break;
        }
        if (it.entry.entry().body() instanceof io.haulproof.lightchain.entry.KeyBody kb
            && kb.action() != io.haulproof.lightchain.entry.KeyAction.REVOKE) {
          everyKey.add(io.haulproof.lightchain.crypto.PublicKeys.fromSpki(kb.publicKey()));
        }
        it.entry.applyTo(keys);
        acc.append(it.leafHash);
        if (wantRoots.contains(acc.size())) {
          roots.put(acc.size(), acc.root());
        }
      }
      // Signatures, in parallel, up to the first ordering failure.
      int verifyUpTo = orderFailure == null ? n : (int) (orderFailureAt - start);
      String[] sigFailures = new String[n];
      parallel(
          pool,
          verifyUpTo,
          i -> {
            try {
              items[i].entry.cose().verify(items[i].verifier);
            } catch (VerificationException e) {
              sigFailures[i] =
                  "entry " + (base + i) + " signature by " + items[i].entry.cose().kid() + " does not verify: "
                      + e.getMessage();
            }
          });
      for (int i = 0; i < verifyUpTo; i++) {
        if (sigFailures[i] != null) {
          return invalid(start + i, blocks.size(), acc, sigFailures[i]);
        }
      }
      if (orderFailure != null) {
        return invalid(orderFailureAt, blocks.size(), acc, orderFailure);
      }
      progress.accept(start + n);
    }
    Hash root = acc.root();

    // Blocks, in order.
    Optional<AuthenticatorSet> maybeSet = authenticatorSet(everyKey, keys);
    if (maybeSet.isEmpty() && !blocks.isEmpty()) {
      return invalid(size, blocks.size(), acc, "every key that could sign blocks is revoked");
    }
    AuthenticatorSet set = maybeSet.orElse(null);
    TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
    List<HeaderRule> rules =
        set == null ? List.of() : List.of(
            new HeightRule(),
            new PrevHashRule(),
            new RangeRule(),
            new RootRule(),
            new ProposerSignatureRule(set, trust),
            new QuorumRule(set, trust));
    BlockContext ctx = new RootsContext(size, roots);
    Optional<Block> parent = Optional.empty();
    for (int bi = 0; bi < blocks.size(); bi++) {
      Block b = blocks.get(bi);
      for (HeaderRule rule : rules) {
        RuleResult r = rule.validate(b, parent, ctx);
        if (!r.passed()) {
          return invalid(size, blocks.size(), acc, "block " + bi + ": " + r.describe());
        }
      }
      parent = Optional.of(b);
    }
    long covered = parent.map(p -> p.header().treeSize()).orElse(0L);

    // The latest checkpoint.
    if (checkpoint.isPresent()) {
      Optional<String> bad = checkCheckpoint(checkpoint.get(), everyKey, size, roots, blocks);
      if (bad.isPresent()) {
        return invalid(size, blocks.size(), acc, bad.get());
      }
    }
    return new VerificationResult(true, size, blocks.size(), size, root, size - covered, Optional.empty());
  }

  private static Optional<Long> checkpointSize(SignedNote note) {
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
      return Optional.of("checkpoint: not signed by a registered key: " + (last == null ? "" : last.getMessage()));
    }
    if (cp.size() > size) {
      return Optional.of("checkpoint: tree size " + cp.size() + " beyond the log's " + size);
    }
    Hash want = roots.get(cp.size());
    if (!cp.root().equals(want)) {
      return Optional.of("checkpoint: wrong root " + cp.root() + " at size " + cp.size() + ", want " + want);
    }
    long lastBlock = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).header().treeSize();
    if (cp.size() > lastBlock) {
      return Optional.of(
          "checkpoint: tree size " + cp.size() + " beyond the last block's " + lastBlock + " (blocks missing)");
    }
    return Optional.empty();
  }

  private static Optional<AuthenticatorSet> authenticatorSet(List<PublicKey> everyKey, EntryKeys finalKeys) {
    List<AuthenticatorSet.Member> members = new ArrayList<>();
    java.util.Set<Kid> seen = new java.util.HashSet<>();
    for (PublicKey k : everyKey) {
      SignatureVerifier v = SignatureVerifier.of(k);
      if (seen.add(v.kid())) {
        members.add(new AuthenticatorSet.Member(v, finalKeys.isRevoked(v.kid())));
      }
    }
    boolean anyActive = members.stream().anyMatch(m -> !m.revoked());
    return anyActive ? Optional.of(AuthenticatorSet.of(members, 1)) : Optional.empty();
  }

  private static Item decode(long index, Bytes raw) {
    Item it = new Item();
    try {
      it.entry = SignedEntry.parse(index, raw);
      MessageDigest d = Hash.newDigest();
      it.leafHash = RootAccumulator.leafHash(d, raw.toByteArray());
    } catch (SignedEntry.MalformedEntryException e) {
      it.failure = e.getMessage();
    }
    return it;
  }

  private VerificationResult invalid(long at, long blocks, RootAccumulator acc, String reason) {
    return new VerificationResult(false, at, blocks, acc.size(), acc.root(), 0, Optional.of(reason));
  }

  private static void parallel(ForkJoinPool pool, int n, java.util.function.IntConsumer body) throws IOException {
    if (n == 0) {
      return;
    }
    try {
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("verification interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("verification worker failed: " + e.getCause(), e.getCause());
    }
  }

  /** The block rules' view of a verified log: its size and the recomputed roots at block boundaries. */
  private record RootsContext(long size, Map<Long, Hash> roots) implements BlockContext {
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

    @Override
    public Bytes entry(long index) {
      throw new UnsupportedOperationException("entries were checked in the parallel pass");
    }

    @Override
    public EntryKeys keys() {
      throw new UnsupportedOperationException("entries were checked in the parallel pass");
    }

    @Override
    public SequenceTracker sequences() {
      throw new UnsupportedOperationException("entries were checked in the parallel pass");
    }
  }
}
