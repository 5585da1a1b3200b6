package io.haulproof.ledger;

import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.uplink.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A read view of one device's bound log at the ledger: entries, roots and proofs from the database
 * (O(log n) rows per proof), and the latest cosigned checkpoint.
 */
public final class DeviceLedger {
  /** What happened to a submitted entry. */
  public enum Outcome {
    /** Bound at its index (now, together with the run a cosigned checkpoint covers). */
    STORED,
    /** Already held, byte for byte (bound or pending). */
    DUPLICATE,
    /** Kept as a candidate until a device-signed checkpoint binds it. */
    BUFFERED,
    /** Not kept: the bounds on unbound data are reached; the device resends later. */
    DROPPED,
    /** Differs from the entry bound at that index: kept as evidence. */
    CONFLICT
  }

  private static final byte GAP = (byte) 0xF7;

  private final Ledger ledger;
  private final LedgerStore store;
  private final Topics topics;

  DeviceLedger(Ledger ledger, Topics topics) {
    this.ledger = ledger;
    this.store = ledger.store();
    this.topics = topics;
  }

  public Topics topics() {
    return topics;
  }

  /** Entries bound from index 0 without a gap. */
  public long stored() {
    try {
      return ledger.confirmed(topics.fleet(), topics.device());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Entries held from index 0 without a gap: bound, or candidates waiting for their checkpoint
   * (what receipts report as {@code entries_stored}).
   */
  public long held() {
    return read(c -> store.pendingRunEnd(c, topics.fleet(), topics.device(), stored()));
  }

  /** The same as {@link #stored()}: every bound entry is durable when its transaction commits. */
  public long sync() {
    return stored();
  }

  private <T> T read(io.haulproof.ledger.store.Db.Work<T> w) {
    try {
      return store.db().read(w);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  private Rows.Candidate row(long index) {
    return read(c -> store.entry(c, topics.fleet(), topics.device(), index))
        .orElseThrow(
            () -> new IndexOutOfBoundsException("entry " + index + " of " + topics + " not bound"));
  }

  /**
   * The bound bytes at {@code index}: the COSE_Sign1, or for a lost gap {@code 0xF7 ‖ leaf hash}.
   */
  public Bytes entry(long index) {
    Rows.Candidate r = row(index);
    if (r.cose().isPresent()) {
      return r.cose().get();
    }
    byte[] b = new byte[1 + Hash.SIZE];
    b[0] = GAP;
    System.arraycopy(r.leaf().toByteArray(), 0, b, 1, Hash.SIZE);
    return Bytes.wrap(b);
  }

  /** Whether {@code index} is a bound gap: lost at the device, no content held. */
  public boolean isLost(long index) {
    return row(index).lost();
  }

  public Hash leafHash(long index) {
    return row(index).leaf();
  }

  public Hash root(long size) {
    return read(c -> ledger.tree(c, topics.fleet(), topics.device(), stored()).proofs().root(size));
  }

  public List<Hash> inclusionProof(long index, long size) {
    return read(
        c ->
            ledger
                .tree(c, topics.fleet(), topics.device(), stored())
                .proofs()
                .inclusion(index, size));
  }

  public List<Hash> consistencyProof(long size1, long size2) {
    return read(
        c ->
            ledger
                .tree(c, topics.fleet(), topics.device(), stored())
                .proofs()
                .consistency(size1, size2));
  }

  /** Entries that contradicted bound ones (kept as evidence). */
  public long conflicts() {
    return read(c -> store.evidenceCount(c, topics.fleet(), topics.device(), "conflict"));
  }

  /** Evidence rows of one kind ("conflict", "fork", "unbound", ...) kept for this device. */
  public long evidence(String kind) {
    return read(c -> store.evidenceCount(c, topics.fleet(), topics.device(), kind));
  }

  /** The latest cosigned checkpoint. */
  public Optional<NoteCheckpoint> latest() {
    return read(c -> store.latestCosigned(c, topics.fleet(), topics.device()))
        .map(
            r ->
                new NoteCheckpoint(
                    SignedNote.parse(r.note()).text().split("\n", 2)[0],
                    r.size(),
                    r.root(),
                    SignedNote.parse(r.note()).text(),
                    r.note()));
  }
}
