package io.haulproof.drivers.remote;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.VerificationException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Checks a source-signed reading from a smart-bin node, in this order: size (≤ 1024 bytes),
 * COSE_Sign1 structure, registered key by kid, signature over the received bytes, payload, node id
 * equal to the key's owner, counter strictly increasing. Shared by the CoAP and MQTT receivers.
 *
 * <p>Security guarantees: nothing is returned unless the signature verified against a registered
 * node key and the counter advanced; the node is the key's owner, never the payload's claim; every
 * refusal is counted by reason and thrown, so nothing refused can be forwarded by mistake.
 */
public final class NodeReadingVerifier {
  private final NodeRegistry registry;
  private final Supplier<Stamp> clock;
  private final DriverMetrics metrics;

  public NodeReadingVerifier(NodeRegistry registry, Supplier<Stamp> clock, DriverMetrics metrics) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  public DriverMetrics metrics() {
    return metrics;
  }

  /**
   * Verifies a message as received.
   *
   * @param expectedNode the node the transport says it came from (MQTT topic), or null if the
   *     transport does not say
   * @throws ReadingRejectedException with the reason, counted in {@link #metrics()}
   */
  public VerifiedNodeMessage verify(byte[] message, String expectedNode)
      throws ReadingRejectedException {
    try {
      VerifiedNodeMessage v = check(message, expectedNode);
      metrics.accepted();
      return v;
    } catch (ReadingRejectedException e) {
      metrics.rejected(e.reason().label());
      throw e;
    }
  }

  private VerifiedNodeMessage check(byte[] message, String expectedNode)
      throws ReadingRejectedException {
    if (message.length > NodePayload.MAX_MESSAGE) {
      throw new ReadingRejectedException(
          RejectReason.OVERSIZE, message.length + " bytes, max " + NodePayload.MAX_MESSAGE);
    }
    Bytes bytes = Bytes.of(message);
    CoseSign1 cose;
    try {
      cose = CoseSign1.decode(bytes, new CborLimits(NodePayload.MAX_MESSAGE, 4));
    } catch (CborException e) {
      throw new ReadingRejectedException(RejectReason.MALFORMED, e.getMessage());
    }
    NodeRegistry.Node node =
        registry
            .byKid(cose.kid())
            .orElseThrow(
                () ->
                    new ReadingRejectedException(
                        RejectReason.UNKNOWN_NODE,
                        "no registered node key with kid " + cose.kid()));
    try {
      cose.verify(node.verifier());
    } catch (VerificationException e) {
      throw new ReadingRejectedException(
          RejectReason.BAD_SIGNATURE, "node " + node.nodeId() + ": " + e.getMessage());
    }
    NodePayload payload;
    try {
      payload = NodePayload.decode(cose.payload());
    } catch (CborException | IllegalArgumentException e) {
      throw new ReadingRejectedException(RejectReason.MALFORMED, e.getMessage());
    }
    if (!payload.nodeId().equals(node.nodeId())) {
      throw new ReadingRejectedException(
          RejectReason.NODE_MISMATCH,
          "payload names node '" + payload.nodeId() + "', key belongs to '" + node.nodeId() + "'");
    }
    if (expectedNode != null && !expectedNode.equals(node.nodeId())) {
      throw new ReadingRejectedException(
          RejectReason.NODE_MISMATCH,
          "arrived as node '" + expectedNode + "', signed by '" + node.nodeId() + "'");
    }
    OptionalLong previous = registry.advanceFrom(node.nodeId(), payload.counter());
    if (previous.isEmpty()) {
      throw new ReadingRejectedException(
          RejectReason.REPLAY,
          "node "
              + node.nodeId()
              + " counter "
              + payload.counter()
              + ", want > "
              + registry.lastCounter(node.nodeId()).orElse(-1));
    }
    return new VerifiedNodeMessage(
        node.nodeId(),
        cose.kid(),
        payload,
        payload.readings(clock.get()),
        bytes,
        previous.getAsLong());
  }

  /**
   * Gives back the counter of a verified message that could not be stored, so the node's retry is
   * accepted (see {@link NodeRegistry#retract}).
   */
  public void release(VerifiedNodeMessage m) {
    registry.retract(m.nodeId(), m.payload().counter(), m.previousCounter());
  }
}
