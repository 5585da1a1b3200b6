package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.VerificationException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * At least {@code quorum} distinct registered, unrevoked, trusted members countersigned the header
 * bytes.
 *
 * <p>Countersignatures from unknown kids are ignored (a kid is only a hint); those of revoked or
 * untrusted members do not count; one that claims a registered member's kid but does not verify
 * fails the block, since a valid block never carries a forged signature.
 */
public final class QuorumRule implements HeaderRule<Object> {
  private final AuthenticatorSet set;
  private final TrustScores trust;

  public QuorumRule(AuthenticatorSet set, TrustScores trust) {
    this.set = set;
    this.trust = trust;
  }

  @Override
  public RuleResult validate(Block block, Optional<Block> parent, Object context) {
    Set<Kid> authors = new HashSet<>();
    int ignored = 0;
    for (AuthenticatorSignature a : block.authentications()) {
      Optional<AuthenticatorSet.Member> member = set.find(a.kid());
      if (member.isEmpty()) {
        ignored++;
        continue;
      }
      try {
        member
            .get()
            .verifier()
            .verify(BlockSigning.authenticationMessage(block.headerBytes()), a.signature());
      } catch (VerificationException e) {
        return RuleResult.failed(
            "quorum", "authentication by " + a.kid() + " does not verify: " + e.getMessage());
      }
      if (member.get().revoked() || !trust.isTrusted(a.kid())) {
        ignored++;
        continue;
      }
      authors.add(member.get().kid());
    }
    if (authors.size() < set.quorum()) {
      return RuleResult.failed(
          "quorum",
          "quorum not met: "
              + authors.size()
              + " valid authentications, want "
              + set.quorum()
              + " ("
              + ignored
              + " ignored)");
    }
    return RuleResult.ok();
  }
}
