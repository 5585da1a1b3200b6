package io.haulproof.agent.lift;

/**
 * Why the crew did not empty a bin (DOMAIN.md section 1, "exception codes"); RFID alone cannot
 * tell.
 */
public enum ExceptionCode {
  NOT_OUT,
  CONTAMINATED,
  OVERWEIGHT,
  DAMAGED,
  NO_ACCESS;

  Outcome outcome() {
    return Outcome.valueOf(name());
  }
}
