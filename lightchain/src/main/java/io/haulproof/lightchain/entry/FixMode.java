package io.haulproof.lightchain.entry;

/** The GNSS fix mode when the position was taken; wire code = ordinal + 1 (docs/formats.md). */
public enum FixMode {
  NO_FIX,
  FIX_2D,
  FIX_3D,
  DGPS,
  RTK,
  DEAD_RECKONING;

  public int code() {
    return Codes.of(this);
  }

  public static FixMode fromCode(long code) {
    return Codes.from(FixMode.class, code);
  }
}
