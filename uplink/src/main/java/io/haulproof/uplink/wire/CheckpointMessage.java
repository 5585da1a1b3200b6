package io.haulproof.uplink.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The payload of the {@code checkpoints} topic (contract: DESIGN.md "Uplink"): CBOR {@code
 * {checkpoint: text, consistency_from: size, proof: [bstr]}}, where {@code checkpoint} is the
 * signed C2SP checkpoint note and {@code proof} the RFC 9162 §2.1.4 consistency proof from tree
 * size {@code consistency_from} to the checkpoint's size.
 */
public record CheckpointMessage(String checkpoint, long consistencyFrom, List<Hash> proof) {
  /** More proof hashes than any tree below 2^64 needs. */
  public static final int MAX_PROOF = 130;

  public CheckpointMessage {
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (consistencyFrom < 0) {
      throw new IllegalArgumentException("consistency_from " + consistencyFrom + ", want >= 0");
    }
    if (proof.size() > MAX_PROOF) {
      throw new IllegalArgumentException(
          "proof of " + proof.size() + " hashes, want <= " + MAX_PROOF);
    }
    proof = List.copyOf(proof);
  }

  public Bytes encode() {
    List<CborValue> items = new ArrayList<>();
    for (Hash h : proof) {
      items.add(new CborBytes(h.toBytes()));
    }
    return new CborText2.Writer()
        .put("checkpoint", checkpoint)
        .put("consistency_from", consistencyFrom)
        .put("proof", new CborArray(items))
        .encode();
  }

  /**
   * Decodes strictly: exactly the three keys, a 32-byte bstr per proof hash.
   *
   * @throws WireFormatException on any deviation
   */
  public static CheckpointMessage decode(Bytes payload) {
    String what = "checkpoint message";
    Map<String, CborValue> m =
        CborText2.read(payload, what, Set.of("checkpoint", "consistency_from", "proof"));
    String note = CborText2.text(m, "checkpoint", what);
    long from = CborText2.uint(m, "consistency_from", what);
    if (!(m.get("proof") instanceof CborArray arr)) {
      throw new WireFormatException(what + ": 'proof' missing or not an array");
    }
    if (arr.size() > MAX_PROOF) {
      throw new WireFormatException(
          what + ": proof of " + arr.size() + " hashes, want <= " + MAX_PROOF);
    }
    List<Hash> proof = new ArrayList<>();
    for (CborValue v : arr.items()) {
      if (!(v instanceof CborBytes b) || b.value().length() != Hash.SIZE) {
        throw new WireFormatException(
            what + ": proof item " + v.typeName() + ", want 32-byte bstr");
      }
      proof.add(Hash.of(b.value().toByteArray()));
    }
    return new CheckpointMessage(note, from, proof);
  }
}
