package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the dispute bundle of a bin and period from the ledger's storage: for each device that
 * lifted the bin, its certificate chains, its latest cosigned checkpoint and every lift of the bin
 * in the period that checkpoint covers, each with its inclusion proof.
 *
 * <p>A lift the witness has not cosigned yet (past the latest cosigned size) cannot be proven and
 * is left out; {@link Result#pending} counts them so the caller can say so.
 */
public final class BundleBuilder {
  /** The bundle and how many matching lifts were left out because no cosignature covers them. */
  public record Result(DisputeBundle bundle, long pending) {}

  private final EvidenceSource source;

  public BundleBuilder(EvidenceSource source) {
    this.source = source;
  }

  public Result build(String bin, Instant from, Instant to) throws IOException {
    List<DeviceEvidence> logs = new ArrayList<>();
    long pending = 0;
    for (Map.Entry<EvidenceSource.LogRef, List<Long>> e : source.lifts(bin, from, to).entrySet()) {
      EvidenceSource.LogRef log = e.getKey();
      Optional<EvidenceSource.Cosigned> cp = source.latestCosigned(log);
      List<ProvenEntry> entries = new ArrayList<>();
      for (long index : e.getValue()) {
        if (cp.isEmpty() || index >= cp.get().size()) {
          pending++;
          continue;
        }
        Bytes cose = source.entry(log, index);
        entries.add(new ProvenEntry(index, cose, 0, source.inclusion(log, index, cp.get().size())));
      }
      if (cp.isEmpty()) {
        continue;
      }
      logs.add(
          new DeviceEvidence(
              log.fleet(),
              log.device(),
              source.chains(log),
              List.of(new CosignedCheckpoint(cp.get().note(), cp.get().cosignature(), List.of())),
              entries));
    }
    return new Result(new DisputeBundle(bin, from, to, logs), pending);
  }
}
