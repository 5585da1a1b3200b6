package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;
import java.util.Objects;

/**
 * A source-signed reading from a remote sensor node (smart bin), carried exactly as received.
 *
 * <p>The gateway verifies the node's signature before logging; an auditor can verify it again from
 * {@code nodeCose} alone, because those are the node's bytes, never re-encoded.
 *
 * @param nodeId the node's id as registered
 * @param nodeKid the kid of the node key that signed the reading
 * @param nodeCose the node's COSE_Sign1 message, byte for byte as received
 */
public record ReadingBody(String nodeId, Kid nodeKid, Bytes nodeCose) implements EntryBody {
  public ReadingBody {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodeKid, "nodeKid");
    Objects.requireNonNull(nodeCose, "nodeCose");
    if (nodeId.isEmpty() || nodeCose.isEmpty()) {
      throw new IllegalArgumentException("empty node id or node COSE message");
    }
  }

  @Override
  public EntryKind kind() {
    return EntryKind.reading;
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder().put(1, nodeId).put(2, nodeKid.value()).put(3, nodeCose).build();
  }

  static ReadingBody read(MapReader r) {
    return new ReadingBody(
        r.requireText(1), new Kid(r.requireBytes(2, Kid.SIZE)), r.requireBytes(3));
  }
}
