package io.haulproof.uplink.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.util.Objects;
import java.util.Set;

/**
 * The placeholder the device sends on {@code entries} (user property {@code kind=lost}) for a log
 * index whose record it lost (quarantined): CBOR {@code {"index": uint, "leaf": bstr32}}, where
 * {@code leaf} is the leaf hash the device's Merkle tree holds for that index ({@code
 * TreeSync.LOST_LEAF} if it never knew it). It carries no entry content; the ledger records a gap.
 *
 * @param index the lost log index; must equal the {@code index} user property
 * @param leaf the RFC 9162 leaf hash the device's tree holds at {@code index}
 */
public record LostEntryMessage(long index, Hash leaf) {
  private static final Set<String> KEYS = Set.of("index", "leaf");

  public LostEntryMessage {
    Objects.requireNonNull(leaf, "leaf");
    if (index < 0) {
      throw new IllegalArgumentException("lost index " + index + ", want >= 0");
    }
  }

  public Bytes encode() {
    return new CborText2.Writer().put("index", index).put("leaf", leaf.toBytes()).encode();
  }

  /**
   * Decodes strictly.
   *
   * @throws WireFormatException if it is not exactly this message
   */
  public static LostEntryMessage decode(Bytes payload) {
    String what = "lost entry";
    var m = CborText2.read(payload, what, KEYS);
    long index = CborText2.uint(m, "index", what);
    Bytes leaf = CborText2.bytes(m, "leaf", what);
    if (leaf.length() != Hash.SIZE) {
      throw new WireFormatException(
          what + ": leaf of " + leaf.length() + " bytes, want " + Hash.SIZE);
    }
    return new LostEntryMessage(index, Hash.of(leaf.toByteArray()));
  }
}
