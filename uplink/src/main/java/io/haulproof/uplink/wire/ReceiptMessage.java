package io.haulproof.uplink.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.entry.ReceiptBody;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The payload of the {@code receipts} topic: CBOR with text keys, {@code status} one of {@code
 * "cosigned"}, {@code "conflict"}, {@code "rejected"}.
 *
 * <p>Every answer also carries {@code entries_stored}: how many entries of this device the ledger
 * holds without a gap. A sender whose cursor is past that value rewinds to it, so an entry the
 * broker acknowledged but lost (a broker crash without persistence) is sent again.
 */
public sealed interface ReceiptMessage {
  Set<String> KEYS =
      Set.of(
          "status",
          "checkpoint",
          "size",
          "root",
          "witness",
          "kid",
          "timestamp",
          "cosignature",
          "reason",
          "latest",
          "entries_stored");

  /** Entries of the device the ledger holds from index 0 without a gap; -1 if unknown. */
  long entriesStored();

  Bytes encode();

  /**
   * The witness cosigned the checkpoint.
   *
   * @param checkpoint the checkpoint text (origin, size and root lines) that was cosigned
   * @param cosignature the witness's signature, see {@link Cosignatures}
   */
  record Cosigned(
      String checkpoint,
      long size,
      Hash root,
      String witness,
      Kid kid,
      long timestamp,
      Bytes cosignature,
      long entriesStored)
      implements ReceiptMessage {
    public Cosigned {
      Objects.requireNonNull(checkpoint, "checkpoint");
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(witness, "witness");
      Objects.requireNonNull(kid, "kid");
      Objects.requireNonNull(cosignature, "cosignature");
    }

    /** The body of the {@code receipt} log entry the agent appends. */
    public ReceiptBody toReceiptBody() {
      return new ReceiptBody(witness, kid, size, root, cosignature, timestamp);
    }

    @Override
    public Bytes encode() {
      return new CborText2.Writer()
          .put("status", "cosigned")
          .put("checkpoint", checkpoint)
          .put("size", size)
          .put("root", root.toBytes())
          .put("witness", witness)
          .put("kid", kid.value())
          .put("timestamp", timestamp)
          .put("cosignature", cosignature)
          .put("entries_stored", entriesStored)
          .encode();
    }
  }

  /**
   * The witness refused because the checkpoint contradicts what it holds (fork, rollback, or a
   * proof from a size it has not acknowledged); {@code latest} is the witness's latest checkpoint
   * for this device (signed note), or empty.
   */
  record Conflict(String reason, String latest, long entriesStored) implements ReceiptMessage {
    public Conflict {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(latest, "latest");
    }

    @Override
    public Bytes encode() {
      return new CborText2.Writer()
          .put("status", "conflict")
          .put("reason", reason)
          .put("latest", latest)
          .put("entries_stored", entriesStored)
          .encode();
    }
  }

  /** The message was malformed, unsigned or from an unknown device. */
  record Rejected(String reason, long entriesStored) implements ReceiptMessage {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Bytes encode() {
      return new CborText2.Writer()
          .put("status", "rejected")
          .put("reason", reason)
          .put("entries_stored", entriesStored)
          .encode();
    }
  }

  /** Decodes strictly; throws {@link WireFormatException} on any deviation. */
  static ReceiptMessage decode(Bytes payload) {
    String what = "receipt";
    Map<String, CborValue> m = CborText2.read(payload, what, KEYS);
    String status = CborText2.text(m, "status", what);
    long stored = m.containsKey("entries_stored") ? CborText2.uint(m, "entries_stored", what) : -1;
    switch (status) {
      case "cosigned":
        {
          Bytes root = CborText2.bytes(m, "root", what);
          Bytes kid = CborText2.bytes(m, "kid", what);
          if (root.length() != Hash.SIZE || kid.length() != Kid.SIZE) {
            throw new WireFormatException(
                what
                    + ": root "
                    + root.length()
                    + " / kid "
                    + kid.length()
                    + " bytes, want 32 / 16");
          }
          return new Cosigned(
              CborText2.text(m, "checkpoint", what),
              CborText2.uint(m, "size", what),
              Hash.of(root.toByteArray()),
              CborText2.text(m, "witness", what),
              new Kid(kid),
              CborText2.uint(m, "timestamp", what),
              CborText2.bytes(m, "cosignature", what),
              stored);
        }
      case "conflict":
        return new Conflict(
            CborText2.text(m, "reason", what),
            m.containsKey("latest") ? CborText2.text(m, "latest", what) : "",
            stored);
      case "rejected":
        return new Rejected(CborText2.text(m, "reason", what), stored);
      default:
        throw new WireFormatException(
            what + ": status '" + status + "', want cosigned, conflict or rejected");
    }
  }
}
