package io.haulproof.lightchain.entry;

/**
 * The lifter that lifted the container (DOMAIN.md §2); wire code = ordinal + 1 (docs/formats.md).
 */
public enum Lifter {
  LEFT,
  RIGHT,
  REAR_COMB,
  FRONT_FORKS,
  OTHER;

  public int code() {
    return Codes.of(this);
  }

  public static Lifter fromCode(long code) {
    return Codes.from(Lifter.class, code);
  }
}
