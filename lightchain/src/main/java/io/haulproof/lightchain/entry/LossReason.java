package io.haulproof.lightchain.entry;

/** What kind of loss a loss entry reports; wire code = ordinal + 1 (docs/formats.md). */
public enum LossReason {
  CORRUPT_RECORD,
  CRC_MISMATCH,
  MISSING_SEGMENT,
  UNREADABLE_SEGMENT,
  SEQUENCE_GAP,
  OTHER;

  public int code() {
    return Codes.of(this);
  }

  public static LossReason fromCode(long code) {
    return Codes.from(LossReason.class, code);
  }
}
