package io.haulproof.authenticator.truck;

import io.haulproof.authenticator.PoahSettings;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.authenticator.wire.ReplySigning;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.VerificationException;
import java.util.List;
import java.util.Optional;

/**
 * Attributes a node's rejection or need to a member of the authenticator set, the way {@link
 * FinalityTracker} attributes authentications: the kid it names must be a member of a set governing
 * the blocks it speaks of ({@link FinalityTracker#governing}: for a rejection the block at its
 * height, for a need those it asks for), its signature must verify under that member's key over
 * this fleet and chain ({@link ReplySigning}), and the member must be trusted (its authentications
 * count).
 *
 * <p>Security guarantees: nothing in a rejection or need is believed before its signature verifies
 * under a member's key; a message signed for another chain, or of another type, does not verify.
 */
final class ReplyCheck {
  /** What the check found. */
  sealed interface Verdict {}

  /** Signed by {@code member}, who is trusted. */
  record Attributed(PoahSettings.Member member) implements Verdict {}

  /** Not to be believed, and why ({@code reason} is a short snake_case word for events). */
  record Refused(String reason, String detail) implements Verdict {}

  private final String fleet;
  private final String chain;
  private final FinalityTracker tracker;

  ReplyCheck(String fleet, String chain, FinalityTracker tracker) {
    this.fleet = fleet;
    this.chain = chain;
    this.tracker = tracker;
  }

  Verdict rejection(PoahWire.Rejection r) {
    return check(
        r.authenticator(),
        tracker.governing(r.height(), r.height()),
        m -> ReplySigning.verify(m.verifier(), fleet, chain, r));
  }

  /**
   * @param lastSealed the height of the last sealed block (−1 for none)
   */
  Verdict need(PoahWire.Need n, long lastSealed) {
    long from = n.fromHeight();
    return check(
        n.authenticator(),
        tracker.governing(from, Math.max(from, lastSealed)),
        m -> ReplySigning.verify(m.verifier(), fleet, chain, n));
  }

  private interface Verification {
    void verify(PoahSettings.Member m);
  }

  private Verdict check(Kid kid, List<PoahSettings> sets, Verification v) {
    if (sets.isEmpty()) {
      return new Refused("no_authenticator_set", "those blocks are single-node");
    }
    Optional<PoahSettings.Member> member =
        sets.stream().map(s -> s.members().get(kid)).filter(java.util.Objects::nonNull).findFirst();
    if (member.isEmpty()) {
      return new Refused("not_a_member", kid + " is not in the authenticator set in force");
    }
    try {
      v.verify(member.get());
    } catch (VerificationException e) {
      return new Refused("bad_signature", e.getMessage());
    }
    if (!tracker.isTrusted(kid)) {
      return new Refused("untrusted", member.get().name() + " is untrusted");
    }
    return new Attributed(member.get());
  }
}
