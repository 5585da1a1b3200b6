package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.verify.RootAccumulator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory log and chain for rule tests: entries are COSE_Sign1 bytes, roots come from a naive
 * accumulator.
 */
final class PoahFixture implements BlockContext {
  final List<Bytes> entries = new ArrayList<>();
  EntryKeys keys;
  SequenceTracker sequences = new SequenceTracker();

  static DeviceKey key(long seed) {
    SecureRandom r;
    try {
      r = SecureRandom.getInstance("SHA1PRNG");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    r.setSeed(seed);
    return SoftwareDeviceKey.generate(CoseAlgorithm.ES256, r);
  }

  PoahFixture(DeviceKey deviceKey) {
    this.keys = EntryKeys.of(deviceKey.publicKey());
  }

  void add(Bytes cose) {
    entries.add(cose);
  }

  void add(CoseSign1 cose) {
    entries.add(cose.encoded());
  }

  @Override
  public long logSize() {
    return entries.size();
  }

  @Override
  public Hash rootAt(long treeSize) {
    RootAccumulator acc = new RootAccumulator();
    for (int i = 0; i < treeSize; i++) {
      acc.append(RootAccumulator.leafHash(Hash.newDigest(), entries.get(i).toByteArray()));
    }
    return acc.root();
  }

  @Override
  public Bytes entry(long index) {
    return entries.get((int) index);
  }

  @Override
  public EntryKeys keys() {
    return keys;
  }

  @Override
  public SequenceTracker sequences() {
    return sequences;
  }

  /** A properly proposed block over {@code [first, first+count)} after {@code parent}. */
  Block propose(DeviceKey proposer, Optional<Block> parent, long first, long count) {
    return new LocalProposer(proposer)
        .propose(parent, first, count, rootAt(first + count), 1_700_000_000_000L);
  }
}
