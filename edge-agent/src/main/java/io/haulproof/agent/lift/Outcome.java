package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.ExceptionCode;
import java.util.Optional;

/**
 * What happened at a bin: emptied, blocked by the allow-list, or a crew exception. The assembler's
 * one-value view of the signed entry's pair {@link io.haulproof.lightchain.entry.Outcome} plus
 * {@link ExceptionCode}: each constant names both, so nothing maps between them by name.
 */
public enum Outcome {
  EMPTIED(io.haulproof.lightchain.entry.Outcome.EMPTIED, null),
  BLOCKED_NOT_REGISTERED(io.haulproof.lightchain.entry.Outcome.BLOCKED_NOT_REGISTERED, null),
  BLOCKED_WRONG_DAY(io.haulproof.lightchain.entry.Outcome.BLOCKED_WRONG_DAY, null),
  NOT_OUT(io.haulproof.lightchain.entry.Outcome.EXCEPTION, ExceptionCode.NOT_OUT),
  CONTAMINATED(io.haulproof.lightchain.entry.Outcome.EXCEPTION, ExceptionCode.CONTAMINATED),
  OVERWEIGHT(io.haulproof.lightchain.entry.Outcome.EXCEPTION, ExceptionCode.OVERWEIGHT),
  DAMAGED(io.haulproof.lightchain.entry.Outcome.EXCEPTION, ExceptionCode.DAMAGED),
  NO_ACCESS(io.haulproof.lightchain.entry.Outcome.EXCEPTION, ExceptionCode.NO_ACCESS);

  private final io.haulproof.lightchain.entry.Outcome entryOutcome;
  private final ExceptionCode exceptionCode;

  Outcome(io.haulproof.lightchain.entry.Outcome entryOutcome, ExceptionCode exceptionCode) {
    this.entryOutcome = entryOutcome;
    this.exceptionCode = exceptionCode;
  }

  /**
   * The outcome of crew exception {@code code}. A switch expression, so a new exception code in
   * lightchain fails compilation here until it has an outcome.
   */
  public static Outcome of(ExceptionCode code) {
    return switch (code) {
      case NOT_OUT -> NOT_OUT;
      case CONTAMINATED -> CONTAMINATED;
      case OVERWEIGHT -> OVERWEIGHT;
      case DAMAGED -> DAMAGED;
      case NO_ACCESS -> NO_ACCESS;
    };
  }

  /** The signed entry's outcome: every crew exception is {@code EXCEPTION}. */
  public io.haulproof.lightchain.entry.Outcome entryOutcome() {
    return entryOutcome;
  }

  /** The signed entry's exception code, empty for an emptying or a block. */
  public Optional<ExceptionCode> exceptionCode() {
    return Optional.ofNullable(exceptionCode);
  }

  public boolean isBlocked() {
    return this == BLOCKED_NOT_REGISTERED || this == BLOCKED_WRONG_DAY;
  }

  public boolean isException() {
    return exceptionCode != null;
  }
}
