package io.haulproof.lightchain.log;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Damage found in the evidence log at open: which bytes, which log indices they stood for, and
 * where the untouched copy of the segment went.
 *
 * @param segment the segment file name
 * @param offset the first damaged byte in it (0 with {@code length} 0 for records missing between
 *     segments)
 * @param length how many bytes are not valid frames
 * @param firstLostIndex the first log index that cannot be read
 * @param lostCount how many indices from {@code firstLostIndex} cannot be read, if {@code
 *     countKnown}
 * @param countKnown false for damage at the very end of the log, where the number of records lost
 *     is unknowable
 * @param quarantined the copy of the segment in {@code quarantine/}, or null if there was no file
 *     to copy
 * @param reason a short description
 */
public record LossReport(
    String segment,
    long offset,
    long length,
    long firstLostIndex,
    long lostCount,
    boolean countKnown,
    Path quarantined,
    String reason) {
  public LossReport {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(reason, "reason");
    if (offset < 0 || length < 0 || firstLostIndex < 0 || lostCount < 0) {
      throw new IllegalArgumentException("negative field in loss report for " + segment);
    }
  }

  /** The key under which this damage is remembered as already reported. */
  String key() {
    return segment + " " + offset;
  }
}
