package io.haulproof.lightchain.entry;

/**
 * The sealed set of log entry kinds (DESIGN.md, "Entry kinds"); {@link #name()} is the label used
 * in JSON output and MQTT user properties, and {@link #code()} the value of payload key 1
 * (docs/formats.md).
 */
@SuppressWarnings("java:S115") // constant names are the contract labels, lowercase on purpose
public enum EntryKind {
  collection(1),
  reading(2),
  config(3),
  key(4),
  loss(5),
  receipt(6);

  private final int code;

  EntryKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * The kind with wire code {@code code}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static EntryKind fromCode(long code) {
    for (EntryKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown entry kind " + code + ", want 1..6");
  }

  /** The kind labelled {@code label} (e.g. "collection"). */
  public static EntryKind fromLabel(String label) {
    return valueOf(label);
  }
}
