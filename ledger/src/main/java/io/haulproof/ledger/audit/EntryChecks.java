package io.haulproof.ledger.audit;

import io.haulproof.ledger.facts.LiftFacts;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.merkle.ProofException;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks on the entries of one device section of a bundle; see {@link BundleVerifier}. */
final class EntryChecks {
  private final DisputeBundle bundle;
  private final DeviceEvidence d;
  private final String who;
  private final Map<Kid, PublicKey> keys;
  private final List<Checkpoint> checkpoints;
  private final Set<Long> seen = new HashSet<>();

  EntryChecks(
      DisputeBundle bundle,
      DeviceEvidence d,
      String who,
      Map<Kid, PublicKey> keys,
      List<Checkpoint> checkpoints) {
    this.bundle = bundle;
    this.d = d;
    this.who = who;
    this.keys = keys;
    this.checkpoints = checkpoints;
  }

  void check(ProvenEntry e, AuditReport r) {
    String what = "entry " + e.index() + " of " + who;
    if (!seen.add(e.index())) {
      r.fails(what + " appears twice in the bundle");
      return;
    }
    CoseSign1 msg;
    try {
      msg = CoseSign1.decode(e.cose());
    } catch (RuntimeException ex) {
      r.fails(what + " is not a COSE_Sign1 entry: " + ex.getMessage());
      return;
    }
    PublicKey key = keys.get(msg.kid());
    if (key == null) {
      r.fails(
          what
              + " is signed by key "
              + msg.kid().toHex()
              + ", which no certificate of the device in the bundle certifies");
      return;
    }
    try {
      msg.verify(key);
    } catch (RuntimeException ex) {
      r.fails(what + ": the device signature does not verify (altered?): " + ex.getMessage());
      return;
    }
    Entry entry;
    try {
      entry = EntryCodec.decode(msg);
    } catch (RuntimeException ex) {
      r.fails(what + " is signed but its payload is not a valid entry: " + ex.getMessage());
      return;
    }
    if (!entry.header().deviceId().equals(d.device())) {
      r.fails(what + " names device " + entry.header().deviceId() + ", want " + d.device());
      return;
    }
    if (!included(e, what, r)) {
      return;
    }
    Instant at = Instant.ofEpochMilli(entry.header().wallTimeMillis());
    String facts = describe(entry, at, what, r);
    if (facts == null) {
      return;
    }
    r.holds(
        what
            + " (seq "
            + entry.header().seq()
            + ", "
            + at
            + "): "
            + facts
            + "; signed by the device, included in checkpoint "
            + e.checkpoint());
  }

  private boolean included(ProvenEntry e, String what, AuditReport r) {
    if (e.checkpoint() >= checkpoints.size()) {
      r.fails(
          what
              + " points to checkpoint "
              + e.checkpoint()
              + ", the device section holds "
              + checkpoints.size());
      return false;
    }
    Checkpoint cp = checkpoints.get(e.checkpoint());
    if (cp == null) {
      r.fails(what + " is proven against checkpoint " + e.checkpoint() + ", which did not verify");
      return false;
    }
    try {
      ProofVerifier.verifyInclusion(
          e.index(), cp.size(), Rfc9162.leafHash(e.cose()), e.proof(), cp.root());
      return true;
    } catch (ProofException | RuntimeException ex) {
      r.fails(
          what
              + " is not proven to be in checkpoint "
              + e.checkpoint()
              + " (size "
              + cp.size()
              + "): "
              + ex.getMessage());
      return false;
    }
  }

  /** The plain-words facts of the entry, or null after reporting why it does not belong. */
  private String describe(Entry entry, Instant at, String what, AuditReport r) {
    if (!(entry.body() instanceof CollectionBody c)) {
      return "a " + entry.kind() + " entry (not a lift)";
    }
    String bin = LiftFacts.binId(c).orElse("(no tag read)");
    if (!bin.equals(bundle.bin())) {
      r.fails(what + " is a lift of bin " + bin + ", not of the bundle's bin " + bundle.bin());
      return null;
    }
    if (at.isBefore(bundle.from()) || !at.isBefore(bundle.to())) {
      r.fails(
          what
              + " happened at "
              + at
              + ", outside the bundle's period "
              + bundle.from()
              + " .. "
              + bundle.to());
      return null;
    }
    StringBuilder sb = new StringBuilder("lift of bin ").append(bin);
    sb.append(" by vehicle ").append(c.operation().vehicleId());
    sb.append(", outcome ").append(c.outcome());
    c.weighing()
        .ifPresent(
            w -> {
              sb.append(", net ").append(LiftFacts.netText(w));
              List<String> no = LiftFacts.notBillableReasons(w);
              if (!no.isEmpty()) {
                sb.append(" (not billable by weight: ").append(String.join(", ", no)).append(')');
              }
            });
    return sb.toString();
  }
}
