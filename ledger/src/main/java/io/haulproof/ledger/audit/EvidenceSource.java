package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the dispute bundle builder needs from the ledger's storage: the lifts of a bin, the entries'
 * bytes, proofs, the cosigned checkpoints and the devices' certificates.
 *
 * <p>{@link BundleStream} reads the lifts in pages ({@link #liftingDevices}, {@link #liftCount},
 * {@link #liftIndexes}); the defaults derive them from {@link #lifts}, which holds every index at
 * once: a store with many lifts overrides them with queries.
 */
public interface EvidenceSource {
  /** A device's log, named by fleet and device id. */
  record LogRef(String fleet, String device) {}

  /** A checkpoint the witness cosigned, as stored. */
  record Cosigned(String note, long size, WitnessCosignature cosignature) {}

  /** Indexes of the collection entries of {@code bin} in [from, to), by device, index order. */
  java.util.Map<LogRef, List<Long>> lifts(String bin, Instant from, Instant to) throws IOException;

  /**
   * The devices with lifts of {@code bin} in [from, to), in the order of {@link #lifts}' keys: by
   * their first such lift (time, then fleet, device).
   */
  default List<LogRef> liftingDevices(String bin, Instant from, Instant to) throws IOException {
    return List.copyOf(lifts(bin, from, to).keySet());
  }

  /**
   * How many lifts of {@code bin} in [from, to) {@code log} holds at indexes below {@code below}.
   */
  default long liftCount(LogRef log, String bin, Instant from, Instant to, long below)
      throws IOException {
    return lifts(bin, from, to).getOrDefault(log, List.of()).stream()
        .filter(i -> i < below)
        .count();
  }

  /**
   * Up to {@code limit} indexes of lifts of {@code bin} in [from, to) in {@code log}, above {@code
   * after} (-1: from the start) and below {@code below}, in increasing order.
   */
  default List<Long> liftIndexes(
      LogRef log, String bin, Instant from, Instant to, long after, long below, int limit)
      throws IOException {
    return lifts(bin, from, to).getOrDefault(log, List.of()).stream()
        .filter(i -> i > after && i < below)
        .limit(limit)
        .toList();
  }

  /** The exact COSE bytes of an entry. */
  Bytes entry(LogRef log, long index) throws IOException;

  /** The device's certificate chains (device certificate first, without the root), as DER. */
  List<List<Bytes>> chains(LogRef log) throws IOException;

  /** The latest checkpoint of the device the witness cosigned, if any. */
  Optional<Cosigned> latestCosigned(LogRef log) throws IOException;

  /** The RFC 9162 audit path of {@code index} at tree size {@code size}. */
  List<Hash> inclusion(LogRef log, long index, long size) throws IOException;
}
