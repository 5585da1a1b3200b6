package io.haulproof.ledger;

import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.merkle.ProofException;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.Cosignatures;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.WireFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges a device's checkpoint: verifies the note under the device's active keys, proves it
 * consistent with the last cosigned checkpoint (and, where the entries are bound, with their root),
 * cosigns it at most once (a resubmission gets the stored cosignature), and lets the binder bind
 * what it now covers. Everything happens under the device's row lock in one transaction; a conflict
 * is stored as evidence; a checkpoint that is only behind the witness (older, or proven from an
 * older witnessed size) is answered as stale and is not evidence. {@code entries_stored} in every
 * receipt is the number of entries the ledger holds from index 0 without a gap (bound, or
 * candidates waiting for a checkpoint), so the device resends from the first one missing.
 */
final class CheckpointJudge {
  private final Ledger ledger;
  private final LedgerStore store;
  private final CheckpointNotes notes;
  private final EntryBinder binder;

  CheckpointJudge(Ledger ledger, CheckpointNotes notes, EntryBinder binder) {
    this.ledger = ledger;
    this.store = ledger.store();
    this.notes = notes;
    this.binder = binder;
  }

  ReceiptMessage judge(Topics t, Bytes payload) throws IOException {
    CheckpointMessage m;
    try {
      m = CheckpointMessage.decode(payload);
    } catch (WireFormatException | IllegalArgumentException e) {
      return new ReceiptMessage.Rejected(
          "malformed checkpoint message: " + e.getMessage(), stored(t));
    }
    DeviceRegistry.Member member;
    try {
      member = ledger.member(t, "checkpoint");
    } catch (Ledger.RejectedEntryException e) {
      return new ReceiptMessage.Rejected(e.getMessage(), stored(t));
    }
    NoteCheckpoint cp;
    try {
      cp =
          notes.verify(
              m.checkpoint(), notes.originFor(member.fleet(), member.device()), activeKeys(member));
    } catch (RuntimeException e) {
      return new ReceiptMessage.Rejected("checkpoint not accepted: " + e.getMessage(), stored(t));
    }
    try {
      return ledger.inTransactionLearning(
          member, true, (c, facts) -> judgeInTx(c, member, m, cp, facts));
    } catch (SQLException e) {
      throw new IOException("judging checkpoint of " + t.device() + ": " + e.getMessage(), e);
    }
  }

  /** The device's bound entries, for a refusal before the transaction (read only then). */
  private long stored(Topics t) throws IOException {
    return Names.valid(t.fleet()) && Names.valid(t.device())
        ? ledger.confirmed(t.fleet(), t.device())
        : 0;
  }

  private List<SignatureVerifier> activeKeys(DeviceRegistry.Member m) throws IOException {
    List<SignatureVerifier> out = new ArrayList<>();
    for (Ledger.DeviceKeyInfo k : ledger.deviceKeys(m).values()) {
      if (k.revokedFrom().isEmpty()) {
        out.add(k.verifier());
      }
    }
    return out;
  }

  /** The judgement; what the binder binds goes to {@code facts}. */
  private ReceiptMessage judgeInTx(
      Connection c,
      DeviceRegistry.Member member,
      CheckpointMessage m,
      NoteCheckpoint cp,
      BoundLeaves.Facts facts)
      throws SQLException {
    String f = member.fleet();
    String dev = member.device();
    long now = ledger.clock().millis();
    Rows.Device d = store.device(c, f, dev, true).orElseThrow();
    // every judgement writes, so its (synchronous) commit flushes the WAL up to here: entries that
    // were committed without waiting (Db.inTransactionAsyncCommit) are durable before any receipt
    // counts them
    store.touch(c, f, dev, "last_checkpoint_at", now);
    long stored = store.pendingRunEnd(c, f, dev, d.confirmed());
    if (d.revoked()) {
      facts.revoked();
      return new ReceiptMessage.Rejected("device " + dev + " is revoked", stored);
    }
    Optional<Rows.Checkpoint> latest = store.latestCosigned(c, f, dev);
    Optional<Rows.Checkpoint> same = store.checkpoint(c, f, dev, cp.size());
    if (same.isPresent() && same.get().cosigned()) {
      Rows.Checkpoint s = same.get();
      if (s.root().equals(cp.root())) {
        long bound = binder.advance(c, d, facts);
        long held = store.pendingRunEnd(c, f, dev, bound);
        return new ReceiptMessage.Cosigned(
            SignedNote.parse(s.note()).text(),
            s.size(),
            s.root(),
            s.witness().orElse(ledger.witnessName()),
            Kid.fromHex(s.witnessKid().orElseThrow()),
            s.cosignTime().orElseThrow(),
            s.cosignature().orElseThrow(),
            held);
      }
      return conflict(
          c,
          member,
          "fork",
          "fork: root "
              + cp.root().toHex()
              + " at size "
              + cp.size()
              + ", witnessed root "
              + s.root().toHex(),
          latest.orElse(s).note(),
          cp,
          stored);
    }
    if (latest.isPresent()) {
      Rows.Checkpoint l = latest.get();
      if (cp.size() < l.size()) {
        // An older checkpoint of the device, delivered late (another instance, a redelivery after
        // a kill, a replay), is no misbehaviour: evidence only if it provably differs from the
        // entries bound at its size (the device signed two histories); otherwise it is stale.
        if (d.confirmed() >= cp.size() && cp.size() > 0) {
          var root = ledger.tree(c, f, dev, d.confirmed()).proofs().root(cp.size());
          if (!root.equals(cp.root())) {
            return conflict(
                c,
                member,
                "fork",
                "fork: checkpoint size "
                    + cp.size()
                    + " below the witnessed size "
                    + l.size()
                    + " has root "
                    + cp.root().toHex()
                    + ", the bound entries "
                    + root.toHex(),
                l.note(),
                cp,
                stored);
          }
        }
        return stale(
            "stale: checkpoint size " + cp.size() + " is below the witnessed size " + l.size(),
            l.note(),
            stored);
      }
      if (m.consistencyFrom() != l.size()) {
        // Proven from an older witnessed size (receipts crossed, or answered by another
        // instance): the device re-proves from the witnessed checkpoint the answer names.
        return stale(
            "stale: consistency_from "
                + m.consistencyFrom()
                + ", want the witnessed size "
                + l.size(),
            l.note(),
            stored);
      }
      try {
        ProofVerifier.verifyConsistency(l.size(), cp.size(), m.proof(), l.root(), cp.root());
      } catch (ProofException | RuntimeException e) {
        return conflict(
            c,
            member,
            "fork",
            "fork: no consistency from witnessed size "
                + l.size()
                + " to "
                + cp.size()
                + ": "
                + e.getMessage(),
            l.note(),
            cp,
            stored);
      }
    }
    if (d.confirmed() >= cp.size() && cp.size() > 0) {
      var root = ledger.tree(c, f, dev, d.confirmed()).proofs().root(cp.size());
      if (!root.equals(cp.root())) {
        return conflict(
            c,
            member,
            "fork",
            "fork: root "
                + cp.root().toHex()
                + " at size "
                + cp.size()
                + " differs from the root of the bound entries "
                + root.toHex(),
            latest.map(Rows.Checkpoint::note).orElse(""),
            cp,
            stored);
      }
    }
    long ts = now / 1000;
    Bytes sig = Cosignatures.sign(ledger.witnessKey(), cp.text(), ts);
    store.insertCosigned(
        c,
        f,
        dev,
        cp.size(),
        cp.root(),
        cp.wire(),
        now,
        ledger.witnessName(),
        ledger.witnessKey().kid().value().toHex(),
        sig,
        ts);
    long bound = binder.advance(c, d, facts);
    long held = store.pendingRunEnd(c, f, dev, bound);
    return new ReceiptMessage.Cosigned(
        cp.text(),
        cp.size(),
        cp.root(),
        ledger.witnessName(),
        ledger.witnessKey().kid(),
        ts,
        sig,
        held);
  }

  /**
   * A checkpoint that is behind the witness but not shown to be inconsistent: answered with the
   * witnessed checkpoint so the device proves from there, counted, and kept out of the evidence.
   */
  private ReceiptMessage stale(String reason, String latestNote, long stored) {
    ledger.count("checkpoint.stale");
    return new ReceiptMessage.Conflict(reason, latestNote, stored);
  }

  private ReceiptMessage conflict(
      Connection c,
      DeviceRegistry.Member member,
      String kind,
      String reason,
      String latestNote,
      NoteCheckpoint cp,
      long stored)
      throws SQLException {
    store.insertEvidence(
        c,
        member.fleet(),
        member.device(),
        null,
        kind,
        reason,
        null,
        Bytes.wrap(cp.wire().getBytes(StandardCharsets.UTF_8)),
        ledger.clock().millis());
    return new ReceiptMessage.Conflict(reason, latestNote, stored);
  }
}
