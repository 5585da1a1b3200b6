package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * The part of a dispute bundle that comes from one device's log.
 *
 * @param fleet the fleet id
 * @param device the device id
 * @param chains certificate chains, each device certificate first, then any intermediate CA
 *     certificates (DER), without the fleet root; several chains when the device rotated its key
 * @param checkpoints the device's checkpoints with the witness's cosignature, in increasing size
 * @param entries the entries with their inclusion proofs
 */
public record DeviceEvidence(
    String fleet,
    String device,
    List<List<Bytes>> chains,
    List<CosignedCheckpoint> checkpoints,
    List<ProvenEntry> entries) {
  public DeviceEvidence {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(device, "device");
    chains = chains.stream().map(List::copyOf).toList();
    checkpoints = List.copyOf(checkpoints);
    entries = List.copyOf(entries);
  }
}
