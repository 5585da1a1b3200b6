package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.testing.TestEntries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory chain for verifier tests: entries, blocks of {@code per} entries authenticated by
 * the key itself, a checkpoint. An index in {@link #lost} reads as lost; its leaf hash is the real
 * one (as the writer's tree keeps it) unless {@link #storedLeaves} says otherwise.
 */
final class TestChain implements EntrySource {
  static final String ORIGIN = Checkpoint.originFor("f1", "truck-1");

  final DeviceKey key;
  final List<Bytes> entries = new ArrayList<>();
  final List<Block> blocks = new ArrayList<>();
  final Set<Long> lost = new HashSet<>();
  final Map<Long, Hash> storedLeaves = new HashMap<>();
  Optional<SignedNote> checkpoint = Optional.empty();

  TestChain(DeviceKey key) {
    this.key = key;
  }

  /** Entries with seqs 1..n of device truck-1, boot epoch 1. */
  static TestChain of(DeviceKey key, int n) {
    TestChain c = new TestChain(key);
    for (int s = 1; s <= n; s++) {
      c.entries.add(TestEntries.signed(key, "truck-1", 1, s));
    }
    return c;
  }

  @Override
  public long size() {
    return entries.size();
  }

  @Override
  public Bytes read(long index) {
    if (lost.contains(index)) {
      throw new IllegalStateException("read of lost entry " + index);
    }
    return entries.get((int) index);
  }

  @Override
  public boolean isLost(long index) {
    return lost.contains(index);
  }

  @Override
  public Hash lostLeafHash(long index) {
    return storedLeaves.getOrDefault(index, leaf(index));
  }

  private Hash leaf(long index) {
    return Hash.wrap(
        RootAccumulator.leafHash(Hash.newDigest(), entries.get((int) index).toByteArray()));
  }

  Hash rootAt(long n) {
    RootAccumulator acc = new RootAccumulator();
    for (int i = 0; i < n; i++) {
      acc.append(leaf(i).toByteArray());
    }
    return acc.root();
  }

  TestChain seal(int per) {
    long first = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).header().treeSize();
    while (first < entries.size()) {
      long count = Math.min(per, entries.size() - first);
      Optional<Block> parent =
          blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(blocks.size() - 1));
      Block b =
          new io.haulproof.lightchain.poah.LocalProposer(key)
              .propose(parent, first, count, rootAt(first + count), 1L);
      b =
          b.withAuthentication(
              new AuthenticatorSignature(
                  key.kid(),
                  key.sign(
                      Bytes.wrap(("haulproof/v1/poah/authentication\n").getBytes())
                          .concat(b.headerBytes()))));
      blocks.add(b);
      first += count;
    }
    checkpoint =
        Optional.of(new CheckpointSigner(key).sign(new Checkpoint(ORIGIN, first, rootAt(first))));
    return this;
  }

  VerificationResult verify() throws IOException {
    return new ChainVerifier(List.of(key.publicKey()), 2, 8).verify(this, blocks, checkpoint);
  }
}
