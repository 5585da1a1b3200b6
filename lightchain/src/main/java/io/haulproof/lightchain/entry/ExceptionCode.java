package io.haulproof.lightchain.entry;

/** Why a container was not emptied normally; wire code = ordinal + 1 (docs/formats.md). */
public enum ExceptionCode {
  NOT_OUT,
  CONTAMINATED,
  OVERWEIGHT,
  DAMAGED,
  NO_ACCESS;

  public int code() {
    return Codes.of(this);
  }

  public static ExceptionCode fromCode(long code) {
    return Codes.from(ExceptionCode.class, code);
  }
}
