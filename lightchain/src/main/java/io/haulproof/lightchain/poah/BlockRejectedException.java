package io.haulproof.lightchain.poah;

/**
 * A block failed a Proof-of-Authentication rule; {@link #result()} names the rule and the reason.
 */
public final class BlockRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient RuleResult result;

  public BlockRejectedException(RuleResult result) {
    super("block rejected by " + result.describe());
    this.result = result;
  }

  public RuleResult result() {
    return result;
  }
}
