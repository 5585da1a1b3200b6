package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.VerificationException;
import java.util.Optional;

/**
 * The proposer signature verifies with the key of a registered, unrevoked, trusted member, and that
 * key's kid is the header's {@code proposer_kid}.
 *
 * <p>The author is whoever's key verifies: the set is keyed by kids computed from the keys, so a
 * header naming someone else's kid fails verification instead of being believed.
 */
public final class ProposerSignatureRule implements HeaderRule<Object> {
  private final AuthenticatorSet set;
  private final TrustScores trust;

  public ProposerSignatureRule(AuthenticatorSet set, TrustScores trust) {
    this.set = set;
    this.trust = trust;
  }

  @Override
  public RuleResult validate(Block block, Optional<Block> parent, Object context) {
    Kid kid = block.header().proposerKid();
    Optional<AuthenticatorSet.Member> member = set.find(kid);
    if (member.isEmpty()) {
      return RuleResult.failed("proposer", "proposer " + kid + " is not a registered node");
    }
    if (member.get().revoked()) {
      return RuleResult.failed("proposer", "proposer " + kid + " is revoked");
    }
    try {
      member
          .get()
          .verifier()
          .verify(BlockSigning.proposalMessage(block.headerBytes()), block.proposerSignature());
    } catch (VerificationException e) {
      return RuleResult.failed(
          "proposer", "proposer signature by " + kid + " does not verify: " + e.getMessage());
    }
    if (!trust.isTrusted(kid)) {
      return RuleResult.failed(
          "proposer", "proposer " + kid + " is untrusted (score " + trust.score(kid) + ")");
    }
    return RuleResult.ok();
  }
}
