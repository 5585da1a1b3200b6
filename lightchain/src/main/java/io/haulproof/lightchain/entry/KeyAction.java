package io.haulproof.lightchain.entry;

/** What a key entry records; wire code = ordinal + 1 (docs/formats.md). */
public enum KeyAction {
  ENROLL,
  ROTATE,
  REVOKE;

  public int code() {
    return Codes.of(this);
  }

  public static KeyAction fromCode(long code) {
    return Codes.from(KeyAction.class, code);
  }
}
