package io.haulproof.uplink.outbox;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.uplink.wire.LostEntryMessage;
import java.util.Objects;

/**
 * One log entry on its way out: its index in the log, the exact COSE bytes, and the {@code seq} and
 * {@code kind} the uplink contract puts into MQTT 5 user properties.
 *
 * @param seq the entry's sequence number, or 0 if the payload could not be decoded (it is still
 *     sent: evidence is never dropped, and the ledger judges it)
 * @param kind the entry kind label, or {@code "unknown"}; {@link #LOST} for the placeholder of a
 *     lost record, whose {@code cose} is then a {@code LostEntryMessage}, not an entry
 */
public record OutboundEntry(long index, Bytes cose, long seq, String kind) {
  /** The {@code kind} of a lost record's placeholder. */
  public static final String LOST = "lost";

  public OutboundEntry {
    Objects.requireNonNull(cose, "cose");
    Objects.requireNonNull(kind, "kind");
    if (index < 0) {
      throw new IllegalArgumentException("index " + index + ", want >= 0");
    }
  }

  /**
   * The placeholder for lost record {@code index}, whose leaf hash in the device's tree is known.
   */
  public static OutboundEntry lost(long index, Hash leaf) {
    return new OutboundEntry(index, new LostEntryMessage(index, leaf).encode(), 0, LOST);
  }

  public boolean isLost() {
    return LOST.equals(kind);
  }

  /** Reads {@code seq} and {@code kind} from the entry's payload. */
  public static OutboundEntry of(long index, Bytes cose) {
    try {
      Entry e = EntryCodec.decode(CoseSign1.decode(cose));
      return new OutboundEntry(index, cose, e.header().seq(), e.kind().name());
    } catch (RuntimeException e) {
      return new OutboundEntry(index, cose, 0, "unknown");
    }
  }
}
