package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes allowed to propose and authenticate blocks, each with its public key and a revoked
 * flag, and the quorum of authentications a block needs.
 *
 * <p>Single-node default: the gateway alone, quorum 1. In multi-node mode the set comes from signed
 * configuration. Security guarantees: a member's kid is always computed from its key, never taken
 * from configuration text; a revoked member's signatures never count.
 */
public final class AuthenticatorSet {
  /** One registered node. */
  public record Member(SignatureVerifier verifier, boolean revoked) {
    public Kid kid() {
      return verifier.kid();
    }
  }

  private final Map<Kid, Member> members;
  private final int quorum;

  private AuthenticatorSet(Map<Kid, Member> members, int quorum) {
    this.members = members;
    this.quorum = quorum;
  }

  /**
   * A set with the given members and quorum.
   *
   * @throws IllegalArgumentException if the quorum is below 1 or above the number of unrevoked
   *     members, or a key is listed twice
   */
  public static AuthenticatorSet of(List<Member> members, int quorum) {
    Map<Kid, Member> m = new LinkedHashMap<>();
    for (Member member : members) {
      if (m.put(member.kid(), member) != null) {
        throw new IllegalArgumentException("key " + member.kid() + " listed twice");
      }
    }
    long active = m.values().stream().filter(x -> !x.revoked()).count();
    if (quorum < 1 || quorum > active) {
      throw new IllegalArgumentException(
          "quorum " + quorum + " not in 1.." + active + " (unrevoked members)");
    }
    return new AuthenticatorSet(Map.copyOf(m), quorum);
  }

  /** The single-node default: {@code gateway} proposes and authenticates alone, quorum 1. */
  public static AuthenticatorSet singleNode(PublicKey gateway) {
    return of(List.of(new Member(SignatureVerifier.of(gateway), false)), 1);
  }

  public Optional<Member> find(Kid kid) {
    return Optional.ofNullable(members.get(kid));
  }

  /** The member with {@code kid} if it is registered and not revoked. */
  public Optional<Member> active(Kid kid) {
    return find(kid).filter(m -> !m.revoked());
  }

  public int quorum() {
    return quorum;
  }

  public List<Member> members() {
    return List.copyOf(members.values());
  }
}
