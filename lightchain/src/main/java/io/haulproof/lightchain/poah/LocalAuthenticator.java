package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The authenticator on this node: runs the proposer check and every header rule, watches for
 * equivocation, updates trust, and countersigns with the device key only when everything passed.
 *
 * <p>Rule order puts the cheap structural checks first and the entry signatures last. Equivocation
 * is checked only after the proposer signature verified, so nobody can frame a proposer with a
 * forged header. Thread-safe if its {@link TrustScores} is (it is).
 */
public final class LocalAuthenticator implements Authenticator {
  private final DeviceKey key;
  private final TrustScores trust;
  private final ProposerSignatureRule proposerRule;
  private final List<HeaderRule<? super BlockContext>> rules;
  private final Consumer<Equivocation> equivocations;

  /**
   * Two different blocks signed by one proposer at one height, with both signed blocks as evidence.
   */
  public record Equivocation(Block first, Block second) {}

  /**
   * @param equivocations told about every equivocation found; it records the evidence
   */
  public LocalAuthenticator(
      DeviceKey key,
      AuthenticatorSet set,
      TrustScores trust,
      Consumer<Equivocation> equivocations) {
    this.key = key;
    this.trust = trust;
    this.equivocations = equivocations;
    this.proposerRule = new ProposerSignatureRule(set, trust);
    this.rules =
        List.<HeaderRule<? super BlockContext>>of(
            new HeightRule(),
            new PrevHashRule(),
            new RangeRule(),
            new RootRule(),
            new SequenceRule(),
            new EntrySignaturesRule());
  }

  @Override
  public Kid kid() {
    return key.kid();
  }

  @Override
  public AuthenticatorSignature authenticate(
      Block block, Optional<Block> parent, BlockContext context) throws IOException {
    Kid proposer = block.header().proposerKid();
    RuleResult signed = proposerRule.validate(block, parent, context);
    if (!signed.passed()) {
      throw new BlockRejectedException(signed);
    }
    Optional<Block> earlier = trust.observeProposal(proposer, block);
    if (earlier.isPresent()) {
      equivocations.accept(new Equivocation(earlier.get(), block));
      throw new BlockRejectedException(
          RuleResult.failed(
              "equivocation",
              "proposer "
                  + proposer
                  + " signed two blocks at height "
                  + block.header().height()
                  + ": "
                  + earlier.get().hash()
                  + " and "
                  + block.hash()));
    }
    for (HeaderRule<? super BlockContext> rule : rules) {
      RuleResult r = rule.validate(block, parent, context);
      if (!r.passed()) {
        trust.recordInvalid(proposer);
        throw new BlockRejectedException(r);
      }
    }
    trust.recordValid(proposer);
    return new AuthenticatorSignature(
        key.kid(), key.sign(BlockSigning.authenticationMessage(block.headerBytes())));
  }
}
