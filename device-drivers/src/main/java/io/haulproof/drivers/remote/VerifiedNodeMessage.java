package io.haulproof.drivers.remote;

import io.haulproof.drivers.reading.Reading;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;
import java.util.List;
import java.util.Objects;

/**
 * A node message that verified against a registered key and passed the replay check: the node (from
 * the key), the decoded payload and readings, and the COSE_Sign1 exactly as received (what a {@code
 * reading} log entry carries), and the node's counter before this message (-1 for none), to give it
 * back if the message cannot be stored.
 */
public record VerifiedNodeMessage(
    String nodeId,
    Kid kid,
    NodePayload payload,
    List<Reading> readings,
    Bytes cose,
    long previousCounter) {
  public VerifiedNodeMessage {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(payload, "payload");
    readings = List.copyOf(readings);
    Objects.requireNonNull(cose, "cose");
  }
}
