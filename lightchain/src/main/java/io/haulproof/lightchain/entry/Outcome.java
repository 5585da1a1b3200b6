package io.haulproof.lightchain.entry;

/**
 * What happened at the lift (operator practice, DOMAIN.md §2); wire code = ordinal + 1
 * (docs/formats.md).
 */
public enum Outcome {
  EMPTIED,
  BLOCKED_NOT_REGISTERED,
  BLOCKED_WRONG_DAY,
  EXCEPTION;

  public int code() {
    return Codes.of(this);
  }

  public static Outcome fromCode(long code) {
    return Codes.from(Outcome.class, code);
  }
}
