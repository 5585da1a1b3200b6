package io.haulproof.lightchain.entry;

/**
 * The unit the weighing indicator displays; weights are integers of 10^-decimals of it; wire code =
 * ordinal + 1 (docs/formats.md).
 */
public enum WeightUnit {
  KG,
  LB,
  T;

  public int code() {
    return Codes.of(this);
  }

  public static WeightUnit fromCode(long code) {
    return Codes.from(WeightUnit.class, code);
  }
}
