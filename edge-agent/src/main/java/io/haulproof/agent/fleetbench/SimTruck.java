package io.haulproof.agent.fleetbench;

import io.haulproof.ledger.sim.SyntheticLifts;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated truck of the fleet benchmark: its key and certificate chain, and its entries and
 * checkpoints signed beforehand (so that signing does not skew the figure), with what the ledger's
 * receipts said so far.
 */
final class SimTruck {
  final Topics topics;
  final List<Bytes> chainDer;
  final java.security.PublicKey publicKey;
  final List<Bytes> entries = new ArrayList<>();
  final List<Long> seqs = new ArrayList<>();
  private final MerkleTree tree = MerkleTree.inMemory();
  private final CheckpointSigner signer;
  private final String origin;

  /** Highest size the witness cosigned, from receipts. */
  volatile long cosigned;

  /** Highest {@code entries_stored} a receipt reported. */
  volatile long stored;

  /** Entries sent so far (the next index to send). */
  long sent;

  /** When each checkpoint was published (for publish to durable), by size. */
  final java.util.Map<Long, Long> publishedAt = new java.util.concurrent.ConcurrentHashMap<>();

  /** When the last receipt arrived (nanoTime). */
  volatile long lastReceipt;

  volatile long conflicts;
  volatile long rejected;

  SimTruck(
      String fleet, String device, DeviceKey key, List<Bytes> chainDer, int entries, long seed) {
    this.topics = new Topics(fleet, device);
    this.chainDer = chainDer;
    this.publicKey = key.publicKey();
    this.signer = new CheckpointSigner(key);
    this.origin = Checkpoint.originFor(fleet, device);
    SyntheticLifts lifts = new SyntheticLifts(device, seed, System.currentTimeMillis(), 1);
    for (int i = 0; i < entries; i++) {
      Bytes cose = EntryCodec.sign(key, lifts.next()).encoded();
      this.entries.add(cose);
      this.seqs.add(i + 1L);
      tree.append(Rfc9162.leafHash(cose));
    }
  }

  int size() {
    return entries.size();
  }

  /** The checkpoint message at {@code size}, proven from the last cosigned size. */
  synchronized Bytes checkpoint(long size) {
    long from = Math.min(cosigned, size);
    String note = signer.sign(new Checkpoint(origin, size, tree.root(size))).encode();
    return new CheckpointMessage(
            note, from, from == 0 || from == size ? List.of() : tree.consistencyProof(from, size))
        .encode();
  }

  /**
   * Takes the witness's latest checkpoint from a conflict receipt as cosigned if it is one of ours
   * (same root as our tree at that size); returns whether it moved the base forward.
   */
  synchronized boolean learnWitnessed(String latestNote) {
    try {
      Checkpoint cp =
          Checkpoint.parse(io.haulproof.lightchain.checkpoint.SignedNote.parse(latestNote).text());
      if (cp.size() > cosigned
          && cp.size() <= entries.size()
          && cp.root().equals(tree.root(cp.size()))) {
        cosigned = cp.size();
        return true;
      }
    } catch (RuntimeException e) {
      // not a checkpoint of ours: a real fork, counted as a conflict
    }
    return false;
  }

  boolean done() {
    return cosigned >= entries.size() && stored >= entries.size();
  }
}
