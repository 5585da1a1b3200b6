package io.haulproof.drivers.fuzz;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.ReadingRejectedException;
import io.haulproof.drivers.remote.RejectReason;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.fuzz.Allocation;
import io.haulproof.lightchain.fuzz.FuzzInput;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Fuzz targets for what smart-bin nodes send over CoAP and MQTT: the signed COSE message as the
 * receivers hand it to {@link NodeReadingVerifier} (CoAP without a node name, MQTT with the node
 * named by the topic), and the reading payload inside it.
 */
final class SmartBinTargets {
  private static final String NODE = "bin-7";
  private static final SoftwareDeviceKey NODE_KEY = fixedKey(7);

  private SmartBinTargets() {}

  static List<FuzzTarget> all() {
    return List.of(
        new FuzzTarget("SmartBinPayload", SmartBinTargets::payload, SmartBinTargets::payloadSeeds),
        new FuzzTarget("SmartBinMessage", SmartBinTargets::message, SmartBinTargets::messageSeeds));
  }

  /** A strictly decoded payload re-encodes to exactly its bytes. */
  static void payload(byte[] data) throws Exception {
    Allocation.atMost(64 * 1024, 96, data.length, () -> payloadOnce(data));
  }

  private static void payloadOnce(byte[] data) {
    NodePayload p;
    try {
      p = NodePayload.decode(Bytes.wrap(data));
    } catch (CborException | IllegalArgumentException e) {
      return;
    }
    if (!p.encode().equals(Bytes.wrap(data))) {
      throw new AssertionError("payload does not re-encode to itself: " + Bytes.wrap(data));
    }
    p.readings(Stamp.now());
  }

  /**
   * Input: a mode byte, the topic's node name ({@code bytes}), then the message. Mode bit 0: the
   * rest is a payload that the registered node signs here (so that fuzzed payloads get past the
   * signature), else the rest is the message as received. Mode bit 1: CoAP (no node name).
   * Properties: only {@link ReadingRejectedException} escapes, and it is counted; an accepted
   * message verifies under the node's key, names the node, matches the topic, carries the bytes as
   * received, and the same message a second time is refused as a replay.
   */
  static void message(byte[] data) throws Exception {
    FuzzInput in = new FuzzInput(data);
    int mode = in.oneByte();
    String topicNode = new String(in.bytes(80), StandardCharsets.UTF_8);
    byte[] rest = in.rest();
    byte[] msg =
        (mode & 1) == 1 ? CoseSign1.sign(NODE_KEY, Bytes.wrap(rest)).encoded().toByteArray() : rest;
    String expected = (mode & 2) == 2 ? null : topicNode;
    NodeRegistry registry = new NodeRegistry();
    registry.register(NODE, NODE_KEY.publicKey());
    DriverMetrics m = new DriverMetrics("nodes");
    NodeReadingVerifier verifier = new NodeReadingVerifier(registry, Stamp::now, m);
    VerifiedNodeMessage v;
    try {
      v = verifier.verify(msg, expected);
    } catch (ReadingRejectedException e) {
      if (m.rejectedTotal() != 1) {
        throw new AssertionError("refusal not counted", e);
      }
      return;
    }
    CoseSign1.decode(Bytes.wrap(msg)).verify(NODE_KEY.publicKey());
    if (!v.nodeId().equals(NODE) || !v.payload().nodeId().equals(NODE)) {
      throw new AssertionError("accepted a message for node " + v.nodeId());
    }
    if (expected != null && !expected.equals(NODE)) {
      throw new AssertionError("accepted on the topic of node '" + expected + "'");
    }
    if (!v.cose().equals(Bytes.wrap(msg))) {
      throw new AssertionError("forwarded bytes differ from the received message");
    }
    try {
      verifier.verify(msg, expected);
      throw new AssertionError("the same message was accepted twice");
    } catch (ReadingRejectedException e) {
      if (e.reason() != RejectReason.REPLAY) {
        throw new AssertionError("second copy refused as " + e.reason(), e);
      }
    }
  }

  private static NodePayload sample(long counter) {
    return new NodePayload(
        NODE,
        counter,
        OptionalLong.of(1_790_000_000L),
        OptionalInt.of(73),
        Optional.of(false),
        Optional.of(false),
        Optional.of(false),
        Optional.of(false),
        Optional.empty(),
        OptionalLong.of(12),
        OptionalLong.of(412),
        Optional.of("mm"));
  }

  private static List<byte[]> payloadSeeds() {
    return List.of(sample(1).encode().toByteArray(), sample(1L << 40).encode().toByteArray());
  }

  private static List<byte[]> messageSeeds() {
    byte[] payload = sample(5).encode().toByteArray();
    byte[] signed = CoseSign1.sign(NODE_KEY, Bytes.wrap(payload)).encoded().toByteArray();
    byte[] node = NODE.getBytes(StandardCharsets.UTF_8);
    return List.of(
        new FuzzInput.Writer().oneByte(1).bytes(node).rest(payload).toByteArray(),
        new FuzzInput.Writer().oneByte(3).bytes(new byte[0]).rest(payload).toByteArray(),
        new FuzzInput.Writer().oneByte(0).bytes(node).rest(signed).toByteArray(),
        new FuzzInput.Writer().oneByte(2).bytes(new byte[0]).rest(signed).toByteArray());
  }

  private static SoftwareDeviceKey fixedKey(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return SoftwareDeviceKey.generate(CoseAlgorithm.ES256, r);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
