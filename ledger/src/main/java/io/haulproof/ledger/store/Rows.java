package io.haulproof.ledger.store;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.util.Optional;

/** The rows of the ledger schema that the code reads back (docs/ledger.md "Storage"). */
public final class Rows {
  private Rows() {}

  /** A {@code devices} row. */
  public record Device(
      String fleet,
      String device,
      Bytes certChain,
      String serial,
      String state,
      long confirmed,
      long joinedAt,
      Optional<Long> lastEntryAt,
      Optional<Long> lastCheckpointAt) {
    public boolean revoked() {
      return "revoked".equals(state);
    }
  }

  /** A {@code device_keys} row. */
  public record Key(
      String kid, Bytes spki, String source, long fromIndex, Optional<Long> revokedFrom) {}

  /**
   * A {@code pending} or {@code entries} row: {@code cose} is empty for a lost placeholder; {@code
   * verified}: the signature was verified on arrival under a key known then (always true for bound
   * entries).
   */
  public record Candidate(
      long idx,
      Hash leaf,
      String kind,
      Optional<Long> seq,
      Optional<Bytes> cose,
      long receivedAt,
      boolean verified) {
    public boolean lost() {
      return cose.isEmpty();
    }
  }

  /** A {@code checkpoints} row. */
  public record Checkpoint(
      long size,
      Hash root,
      String note,
      long receivedAt,
      Optional<Long> cosignedAt,
      Optional<String> witness,
      Optional<String> witnessKid,
      Optional<Bytes> cosignature,
      Optional<Long> cosignTime) {
    public boolean cosigned() {
      return cosignedAt.isPresent();
    }
  }

  /**
   * A device's unbound candidates.
   *
   * @param ofDevice all of them
   * @param unverified those whose key was not known when they came
   */
  public record PendingStats(long ofDevice, long unverified) {}

  /** Candidates waiting per index of a range, and the device's {@link PendingStats}. */
  public record PendingCounts(java.util.Map<Long, Long> perIndex, PendingStats stats) {}

  /** A {@code merkle_nodes} row of one device: node ({@code level}, {@code idx}). */
  public record Node(int level, long idx, Hash hash) {}
}
