package io.haulproof.ledger.billing;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.EntryHeader;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded collection entry as the ledger holds it, with where it sits: the device's log and index
 * and, once the witness has cosigned a checkpoint covering it, that checkpoint.
 *
 * @param checkpointSize size of the latest cosigned checkpoint covering the entry, if any
 * @param checkpointRoot root of that checkpoint
 */
public record StoredLift(
    String fleet,
    String device,
    long index,
    EntryHeader header,
    CollectionBody body,
    Optional<Long> checkpointSize,
    Optional<Hash> checkpointRoot) {
  public StoredLift {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(checkpointSize, "checkpointSize");
    Objects.requireNonNull(checkpointRoot, "checkpointRoot");
    if (checkpointSize.isPresent() && checkpointSize.get() <= index) {
      throw new IllegalArgumentException(
          "checkpoint size " + checkpointSize.get() + " does not cover entry " + index);
    }
  }
}
