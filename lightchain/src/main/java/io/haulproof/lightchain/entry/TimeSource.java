package io.haulproof.lightchain.entry;

/** Where an entry's wall time came from. */
public enum TimeSource {
  UNKNOWN(0),
  GNSS(1),
  NTP(2),
  RTC(3);

  private final int code;

  TimeSource(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static TimeSource fromCode(long code) {
    for (TimeSource s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown time source " + code + ", want 0..3");
  }
}
