package io.haulproof.lightchain.poah;

/**
 * The outcome of one block validation rule: ok, or failed with the rule's name and a reason naming
 * the expected and actual values.
 */
public record RuleResult(boolean passed, String rule, String reason) {
  private static final RuleResult OK = new RuleResult(true, "", "");

  public RuleResult {
    if (!passed && (rule == null || rule.isEmpty() || reason == null || reason.isEmpty())) {
      throw new IllegalArgumentException("a failed rule needs a rule name and a reason");
    }
  }

  public static RuleResult ok() {
    return OK;
  }

  public static RuleResult failed(String rule, String reason) {
    return new RuleResult(false, rule, reason);
  }

  /** "rule: reason", for messages. */
  public String describe() {
    return passed ? "ok" : rule + ": " + reason;
  }
}
