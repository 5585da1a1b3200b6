package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Objects;

/**
 * An entry that is durable in the evidence log.
 *
 * @param index its log index, which is also its Merkle leaf index
 * @param seq its per-device sequence number
 * @param cose the exact COSE_Sign1 bytes stored (the Merkle leaf data)
 */
public record Appended(long index, long seq, Bytes cose) {
  public Appended {
    Objects.requireNonNull(cose, "cose");
    if (index < 0 || seq < 1) {
      throw new IllegalArgumentException("index " + index + " / seq " + seq + " out of range");
    }
  }
}
