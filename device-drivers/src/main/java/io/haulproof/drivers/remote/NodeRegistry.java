package io.haulproof.drivers.remote;

import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered smart-bin nodes: each node id with its public key (looked up by COSE kid) and the
 * highest counter accepted from it, for replay protection. Thread-safe.
 *
 * <p>Security guarantees: a node's identity comes from the key that verified its message, never
 * from a field of the message; {@link #advance} moves a counter only forwards, atomically, so two
 * copies of one message arriving at once are accepted at most once. Counters live in memory: the
 * agent rebuilds them at start from the {@code reading} entries in its log ({@link
 * #restoreCounter}, called by the agent's {@code RemoteReadingsVerticle}).
 */
public final class NodeRegistry {
  /** A registered node. */
  public record Node(String nodeId, SignatureVerifier verifier) {
    public Node {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(verifier, "verifier");
    }
  }

  private final Map<Kid, Node> byKid = new ConcurrentHashMap<>();
  private final Map<String, Long> counters = new ConcurrentHashMap<>();

  /** Registers (or replaces the key of) a node. */
  public void register(String nodeId, PublicKey key) {
    SignatureVerifier v = SignatureVerifier.of(key);
    byKid.values().removeIf(n -> n.nodeId().equals(nodeId));
    byKid.put(v.kid(), new Node(nodeId, v));
  }

  /** Removes a node's key; its messages are then rejected as unknown. */
  public void revoke(String nodeId) {
    byKid.values().removeIf(n -> n.nodeId().equals(nodeId));
  }

  public Optional<Node> byKid(Kid kid) {
    return Optional.ofNullable(byKid.get(kid));
  }

  public OptionalLong lastCounter(String nodeId) {
    Long c = counters.get(nodeId);
    return c == null ? OptionalLong.empty() : OptionalLong.of(c);
  }

  /** Sets the last accepted counter (from the log at start); never moves it backwards. */
  public void restoreCounter(String nodeId, long counter) {
    counters.merge(nodeId, counter, Math::max);
  }

  /**
   * Accepts {@code counter} if it is greater than the last accepted one, atomically, and says what
   * it replaced.
   *
   * @return the counter it replaced (-1 for none), or empty for a replay (counter not increasing)
   */
  public OptionalLong advanceFrom(String nodeId, long counter) {
    long[] previous = {Long.MIN_VALUE};
    counters.compute(
        nodeId,
        (k, last) -> {
          if (last == null || counter > last) {
            previous[0] = last == null ? -1 : last;
            return counter;
          }
          return last;
        });
    return previous[0] == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(previous[0]);
  }

  /**
   * Gives back a counter accepted by {@link #advanceFrom} whose message could not be stored, so the
   * node's retry of the same message is not refused as a replay; only if no later counter was
   * accepted since (then the retry is a replay indeed).
   */
  public void retract(String nodeId, long counter, long previous) {
    counters.computeIfPresent(
        nodeId, (k, last) -> last == counter ? (previous < 0 ? null : previous) : last);
  }

  /**
   * Accepts {@code counter} if it is greater than the last accepted one, atomically.
   *
   * @return false for a replay (counter not increasing)
   */
  public boolean advance(String nodeId, long counter) {
    boolean[] ok = {false};
    counters.compute(
        nodeId,
        (k, last) -> {
          if (last == null || counter > last) {
            ok[0] = true;
            return counter;
          }
          return last;
        });
    return ok[0];
  }
}
