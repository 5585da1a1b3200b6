package io.haulproof.ledger.audit;

import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointVerifier;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.merkle.ProofException;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.uplink.wire.Cosignatures;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a dispute bundle offline against two trust anchors: the fleet root certificate and the
 * witness's public key (docs/ledger.md, "Checking a bundle").
 *
 * <p>Security guarantees: the report is valid only if every device certificate chains to the fleet
 * root and names its device; every checkpoint is a signed note by a certified key of that device
 * for the device's origin and carries a cosignature that verifies under the witness key; each
 * checkpoint is proven consistent with the one before it; and every entry verifies under a
 * certified key of its device, names that device, is included (RFC 9162) in the checkpoint it
 * points to, and, for a lift, is of the bundle's bin inside its period. Nothing is taken from a
 * field where a signature can say it: the signer of an entry is found by its kid among the
 * certified keys and must verify. Whether the bundle holds every lift of the bin cannot be shown
 * from the bundle; the report says so.
 */
public final class BundleVerifier {
  private final DeviceChains chains;
  private final SignatureVerifier witness;
  private final Kid witnessKid;

  public BundleVerifier(X509Certificate fleetRoot, PublicKey witnessKey) {
    this.chains = new DeviceChains(fleetRoot);
    this.witness = SignatureVerifier.of(witnessKey); // one for all cosignatures of the bundle
    this.witnessKid = Kid.of(witnessKey);
  }

  public AuditReport verify(DisputeBundle bundle) {
    AuditReport r = new AuditReport();
    if (bundle.logs().isEmpty()) {
      r.fails("the bundle holds no device log at all");
    }
    for (DeviceEvidence d : bundle.logs()) {
      verifyDevice(bundle, d, r);
    }
    r.note(
        "A bundle cannot show that it holds every lift of bin "
            + bundle.bin()
            + " in the period: it shows that the lifts it holds are genuine, in the devices' logs"
            + " and witnessed.");
    r.note("Revocation is not checked: a bundle carries no certificate revocation list.");
    return r;
  }

  private void verifyDevice(DisputeBundle bundle, DeviceEvidence d, AuditReport r) {
    String who = "device " + d.fleet() + "/" + d.device();
    Map<Kid, PublicKey> keys = new LinkedHashMap<>();
    for (int i = 0; i < d.chains().size(); i++) {
      try {
        X509Certificate leaf = chains.certifiedLeaf(d.chains().get(i), d.fleet(), d.device());
        Kid kid = Kid.of(leaf.getPublicKey());
        keys.put(kid, leaf.getPublicKey());
        r.holds(
            "the certificate of "
                + who
                + " (serial "
                + leaf.getSerialNumber().toString(16)
                + ", key "
                + kid.toHex()
                + ") chains to the fleet root");
      } catch (GeneralSecurityException e) {
        r.fails("certificate chain " + i + " of " + who + " is not trusted: " + e.getMessage());
      }
    }
    if (keys.isEmpty()) {
      r.fails(
          who
              + " has no certificate that chains to the fleet root, so none of its "
              + d.checkpoints().size()
              + " checkpoints and "
              + d.entries().size()
              + " entries can be attributed to it");
      return;
    }
    List<Checkpoint> cps = checkpoints(d, who, keys, r);
    EntryChecks entries = new EntryChecks(bundle, d, who, keys, cps);
    for (ProvenEntry e : d.entries()) {
      entries.check(e, r);
    }
    if (d.entries().isEmpty()) {
      r.note(who + " contributes no entry to the bundle.");
    }
  }

  /** Verifies each checkpoint; the list holds null where one failed. */
  private List<Checkpoint> checkpoints(
      DeviceEvidence d, String who, Map<Kid, PublicKey> keys, AuditReport r) {
    String origin = Checkpoint.originFor(d.fleet(), d.device());
    List<Checkpoint> out = new ArrayList<>();
    for (int i = 0; i < d.checkpoints().size(); i++) {
      CosignedCheckpoint c = d.checkpoints().get(i);
      Checkpoint cp = deviceSigned(c, origin, keys, who, i, r);
      if (cp != null && !cosigned(c, cp, i, r)) {
        cp = null;
      }
      out.add(cp);
      if (i == 0) {
        if (!c.consistency().isEmpty()) {
          r.fails("checkpoint 0 of " + who + " carries a consistency proof but has no predecessor");
        }
        continue;
      }
      Checkpoint prev = out.get(i - 1);
      if (cp != null && prev != null) {
        consistent(prev, cp, c.consistency(), who, i, r);
      }
    }
    return out;
  }

  private Checkpoint deviceSigned(
      CosignedCheckpoint c,
      String origin,
      Map<Kid, PublicKey> keys,
      String who,
      int i,
      AuditReport r) {
    List<String> why = new ArrayList<>();
    SignedNote note;
    try {
      note = SignedNote.parse(c.note());
    } catch (RuntimeException e) {
      r.fails("checkpoint " + i + " of " + who + " is not a signed note: " + e.getMessage());
      return null;
    }
    for (PublicKey k : keys.values()) {
      try {
        return new CheckpointVerifier(origin, k).verify(note);
      } catch (RuntimeException e) {
        why.add(e.getMessage());
      }
    }
    r.fails(
        "checkpoint "
            + i
            + " of "
            + who
            + " is not signed by a certified key of the device for origin "
            + origin
            + ": "
            + String.join("; ", why));
    return null;
  }

  private boolean cosigned(CosignedCheckpoint c, Checkpoint cp, int i, AuditReport r) {
    String what = "checkpoint " + i + " (" + cp.origin() + ", size " + cp.size() + ")";
    WitnessCosignature w = c.cosignature();
    if (!w.kid().equals(witnessKid)) {
      r.fails(
          what
              + " is cosigned by witness key "
              + w.kid().toHex()
              + ", not by the trusted witness key "
              + witnessKid.toHex());
      return false;
    }
    try {
      Cosignatures.verify(witness, cp.toText(), w.timestamp(), w.signature());
    } catch (RuntimeException e) {
      r.fails(what + ": the witness cosignature does not verify: " + e.getMessage());
      return false;
    }
    r.holds(
        what
            + " with root "
            + cp.root().toHex()
            + " is signed by the device and cosigned by witness '"
            + w.witness()
            + "' at "
            + java.time.Instant.ofEpochSecond(w.timestamp()));
    return true;
  }

  private void consistent(
      Checkpoint prev,
      Checkpoint cp,
      List<io.haulproof.lightchain.bytes.Hash> proof,
      String who,
      int i,
      AuditReport r) {
    String what = "checkpoint " + i + " of " + who;
    if (cp.size() < prev.size()) {
      r.fails(what + " has size " + cp.size() + ", below the size " + prev.size() + " before it");
      return;
    }
    try {
      if (cp.size() == prev.size()) {
        if (!cp.root().equals(prev.root())) {
          throw new ProofException(
              "same size "
                  + cp.size()
                  + ", roots "
                  + prev.root().toHex()
                  + " and "
                  + cp.root().toHex());
        }
      } else {
        ProofVerifier.verifyConsistency(prev.size(), cp.size(), proof, prev.root(), cp.root());
      }
      r.holds(
          what
              + " extends checkpoint "
              + (i - 1)
              + " (consistency from size "
              + prev.size()
              + " to "
              + cp.size()
              + "): the log was only appended to");
    } catch (ProofException | RuntimeException e) {
      r.fails(
          what + " is not an extension of checkpoint " + (i - 1) + " (fork?): " + e.getMessage());
    }
  }
}
