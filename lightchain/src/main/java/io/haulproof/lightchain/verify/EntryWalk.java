package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.RuleResult;
import io.haulproof.lightchain.poah.SequenceTracker;
import io.haulproof.lightchain.poah.SignedEntry;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The entry half of chain verification, one chunk at a time: a parallel pass decodes, leaf-hashes
 * and verifies each entry with the keys active at the start of the chunk; a sequential pass in log
 * order then applies key changes, checks that each entry's key was active at its position
 * (verifying there the rare entry whose key was enrolled inside the chunk), runs the sequence rules
 * and accumulates the RFC 9162 root. A lost entry (quarantined) enters the root with the leaf hash
 * its source's tree kept; lost entries, skipped seqs and the loss entries that name them go to
 * {@link LossCoverage}. Not thread-safe; one walk per run.
 */
final class EntryWalk {
  private final ForkJoinPool pool;
  private final EntryKeys keys;
  private final SequenceTracker sequences = new SequenceTracker();
  private final RootAccumulator acc = new RootAccumulator();
  private final Set<Long> wantRoots;
  private final Map<Long, Hash> roots = new HashMap<>();
  private final List<PublicKey> everyKey;
  private final EntrySource source;
  private final LossCoverage gaps = new LossCoverage();

  /** A decoded entry and what the parallel pass learned about it. */
  private static final class Item {
    SignedEntry entry;
    byte[] leafHash;
    String failure;
    Kid verifiedWith;
  }

  EntryWalk(
      ForkJoinPool pool, List<PublicKey> deviceKeys, Set<Long> wantRoots, EntrySource source) {
    this.pool = pool;
    this.source = source;
    this.keys = EntryKeys.of(deviceKeys.toArray(PublicKey[]::new));
    this.everyKey = new ArrayList<>(deviceKeys);
    this.wantRoots = wantRoots;
    roots.put(0L, acc.root());
  }

  /**
   * Checks entries {@code [start, start + raw.length)} ({@code null} for a lost one); the first
   * failure by position, if any.
   */
  Optional<String> check(long start, Bytes[] raw) throws IOException {
    int n = raw.length;
    Item[] items = new Item[n];
    EntryKeys atStart = keys.copy();
    parallel(n, i -> items[i] = decodeAndVerify(start + i, raw[i], atStart));
    for (int i = 0; i < n; i++) {
      Optional<String> bad = inOrder(start + i, items[i]);
      if (bad.isPresent()) {
        return bad;
      }
    }
    return Optional.empty();
  }

  private static Item decodeAndVerify(long index, Bytes raw, EntryKeys atStart) {
    Item it = new Item();
    if (raw == null) {
      return it; // lost: no entry
    }
    try {
      it.entry = SignedEntry.parse(index, raw);
    } catch (SignedEntry.MalformedEntryException e) {
      it.failure = e.getMessage();
      return it;
    }
    MessageDigest d = io.haulproof.lightchain.bytes.Hash.newDigest();
    it.leafHash = RootAccumulator.leafHash(d, raw.toByteArray());
    Kid kid = it.entry.cose().kid();
    Optional<SignatureVerifier> v = atStart.active(kid);
    if (v.isPresent()) {
      try {
        it.entry.cose().verify(v.get());
        it.verifiedWith = kid;
      } catch (VerificationException e) {
        it.failure =
            "entry " + index + " signature by " + kid + " does not verify: " + e.getMessage();
      }
    }
    return it;
  }

  private Optional<String> inOrder(long index, Item it) throws IOException {
    if (it.failure == null && it.entry == null) {
      acc.append(source.lostLeafHash(index).toByteArray());
      keepRoot();
      return gaps.lost(index);
    }
    gaps.readable();
    if (it.failure != null) {
      return Optional.of(it.failure);
    }
    Kid kid = it.entry.cose().kid();
    Optional<SignatureVerifier> v = keys.active(kid);
    if (v.isEmpty()) {
      return Optional.of(
          "entry "
              + index
              + " signed by "
              + (keys.isRevoked(kid) ? "revoked" : "unregistered")
              + " key "
              + kid);
    }
    if (it.verifiedWith == null) {
      try {
        it.entry.cose().verify(v.get()); // a key enrolled earlier in this chunk
      } catch (VerificationException e) {
        return Optional.of(
            "entry " + index + " signature by " + kid + " does not verify: " + e.getMessage());
      }
    }
    EntryHeader h = it.entry.entry().header();
    long want = sequences.next(h.deviceId());
    RuleResult r = sequences.acceptOverGap(index, h.deviceId(), h.bootEpoch(), h.seq());
    if (!r.passed()) {
      return Optional.of(r.reason());
    }
    if (h.seq() > want) {
      Optional<String> bad = gaps.skipped(index, h.deviceId(), want, h.seq() - 1);
      if (bad.isPresent()) {
        return bad;
      }
    }
    if (it.entry.entry().body() instanceof LossBody lb) {
      Optional<String> bad = gaps.statement(index, h.deviceId(), lb);
      if (bad.isPresent()) {
        return bad;
      }
    }
    if (it.entry.entry().body() instanceof KeyBody kb && kb.action() != KeyAction.REVOKE) {
      everyKey.add(PublicKeys.fromSpki(kb.publicKey()));
    }
    it.entry.applyTo(keys);
    acc.append(it.leafHash);
    keepRoot();
    return Optional.empty();
  }

  private void keepRoot() {
    if (wantRoots.contains(acc.size())) {
      roots.put(acc.size(), acc.root());
    }
  }

  /** The gaps found and the loss entries that name them; judged after the last entry. */
  LossCoverage gaps() {
    return gaps;
  }

  long size() {
    return acc.size();
  }

  Hash root() {
    return acc.root();
  }

  Map<Long, Hash> roots() {
    return roots;
  }

  EntryKeys keys() {
    return keys;
  }

  /** Every key registered at some point: the device keys and those enrolled or rotated in. */
  List<PublicKey> everyKey() {
    return everyKey;
  }

  private void parallel(int n, java.util.function.IntConsumer body) throws IOException {
    try {
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("verification interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("verification worker failed: " + e.getCause(), e.getCause());
    }
  }
}
