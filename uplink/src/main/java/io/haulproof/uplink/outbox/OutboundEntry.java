package io.haulproof.uplink.outbox;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import java.util.Objects;

/**
 * One log entry on its way out: its index in the log, the exact COSE bytes, and the {@code seq} and
 * {@code kind} the uplink contract puts into MQTT 5 user properties.
 *
 * @param seq the entry's sequence number, or 0 if the payload could not be decoded (it is still
 *     sent: evidence is never dropped, and the ledger judges it)
 * @param kind the entry kind label, or {@code "unknown"}
 */
public record OutboundEntry(long index, Bytes cose, long seq, String kind) {
  public OutboundEntry {
    Objects.requireNonNull(cose, "cose");
    Objects.requireNonNull(kind, "kind");
    if (index < 0) {
      throw new IllegalArgumentException("index " + index + ", want >= 0");
    }
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
