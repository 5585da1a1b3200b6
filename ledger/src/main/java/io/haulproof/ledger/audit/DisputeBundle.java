package io.haulproof.ledger.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A dispute bundle: everything needed to check offline, with only the fleet root and the witness
 * key, what the ledger holds about one bin in one period (docs/ledger.md, "Dispute bundle").
 *
 * @param bin the bin's tag id as the ledger keys it (lowercase hex of the raw tag id)
 * @param from start of the period, inclusive
 * @param to end of the period, exclusive
 * @param logs one section per device (truck) whose log holds lifts of the bin in the period
 */
public record DisputeBundle(String bin, Instant from, Instant to, List<DeviceEvidence> logs) {
  /** The {@code format} value of version 1. */
  public static final String FORMAT = "haulproof-dispute-bundle/1";

  public DisputeBundle {
    Objects.requireNonNull(bin, "bin");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    logs = List.copyOf(logs);
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("period " + from + " .. " + to + " is empty");
    }
  }

  /** The number of entries over all devices. */
  public int entryCount() {
    return logs.stream().mapToInt(l -> l.entries().size()).sum();
  }
}
