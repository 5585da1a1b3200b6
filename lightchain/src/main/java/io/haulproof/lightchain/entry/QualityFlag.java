package io.haulproof.lightchain.entry;

import java.util.EnumSet;
import java.util.Set;

/**
 * A data-quality warning on a collection event; the set is encoded as a bit mask, bit = ordinal
 * (docs/formats.md).
 */
public enum QualityFlag {
  /** No container tag was read at the lift. */
  RFID_MISSING,
  /** The tag read arrived outside the lift window. */
  RFID_LATE,
  /** No weight reading was available. */
  WEIGHT_MISSING,
  /** The weight never became stable within the window. */
  WEIGHT_UNSTABLE,
  /** The weight reading arrived outside the lift window. */
  WEIGHT_LATE,
  /** No GNSS position was available. */
  POSITION_MISSING,
  /** The last GNSS position was older than the freshness limit. */
  POSITION_STALE,
  /** Wall time was not synchronised (RTC only or unknown). */
  TIME_UNSYNCED,
  /**
   * The weighing instrument's serial is not known (for example a remote scale that names none): the
   * instrument field is absent instead of carrying a placeholder.
   */
  INSTRUMENT_UNKNOWN;

  /** The bit mask of {@code flags}. */
  public static long toMask(Set<QualityFlag> flags) {
    long m = 0;
    for (QualityFlag f : flags) {
      m |= 1L << f.ordinal();
    }
    return m;
  }

  /**
   * The flags of bit mask {@code mask}.
   *
   * @throws IllegalArgumentException if an unassigned bit is set
   */
  public static Set<QualityFlag> fromMask(long mask) {
    QualityFlag[] all = values();
    if (mask < 0 || mask >>> all.length != 0) {
      throw new IllegalArgumentException(
          "unknown quality flag bits in mask 0x" + Long.toHexString(mask));
    }
    EnumSet<QualityFlag> set = EnumSet.noneOf(QualityFlag.class);
    for (QualityFlag f : all) {
      if ((mask & (1L << f.ordinal())) != 0) {
        set.add(f);
      }
    }
    return set;
  }
}
