package io.haulproof.agent.lift;

/** What happened at a bin: emptied, blocked by the allow-list, or a crew exception. */
public enum Outcome {
  EMPTIED,
  BLOCKED_NOT_REGISTERED,
  BLOCKED_WRONG_DAY,
  NOT_OUT,
  CONTAMINATED,
  OVERWEIGHT,
  DAMAGED,
  NO_ACCESS;

  public boolean isBlocked() {
    return this == BLOCKED_NOT_REGISTERED || this == BLOCKED_WRONG_DAY;
  }

  public boolean isException() {
    return this != EMPTIED && !isBlocked();
  }
}
