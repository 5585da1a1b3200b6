package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Hash;
import java.util.List;
import java.util.Objects;

/**
 * A device checkpoint as the witness cosigned it.
 *
 * @param note the device's signed note (C2SP signed-note wire form)
 * @param cosignature the witness's cosignature over the checkpoint text
 * @param consistency the RFC 9162 consistency proof from the previous checkpoint of the same device
 *     in the bundle to this one; empty for the first
 */
public record CosignedCheckpoint(
    String note, WitnessCosignature cosignature, List<Hash> consistency) {
  public CosignedCheckpoint {
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(cosignature, "cosignature");
    consistency = List.copyOf(consistency);
  }
}
