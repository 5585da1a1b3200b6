package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.util.List;
import java.util.Objects;

/**
 * One log entry with its inclusion proof.
 *
 * @param index the entry's index in the device's log (its Merkle leaf index)
 * @param cose the exact COSE_Sign1 bytes, the Merkle leaf
 * @param checkpoint position in {@link DeviceEvidence#checkpoints()} of the checkpoint the proof is
 *     against
 * @param proof the RFC 9162 audit path at that checkpoint's size
 */
public record ProvenEntry(long index, Bytes cose, int checkpoint, List<Hash> proof) {
  public ProvenEntry {
    Objects.requireNonNull(cose, "cose");
    proof = List.copyOf(proof);
    if (index < 0 || checkpoint < 0) {
      throw new IllegalArgumentException(
          "entry index " + index + ", checkpoint " + checkpoint + ": want both >= 0");
    }
  }
}
