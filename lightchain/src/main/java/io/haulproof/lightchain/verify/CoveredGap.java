package io.haulproof.lightchain.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gap in a verified chain that signed {@code loss} entries name (docs/chain.md, "Gaps and loss
 * entries").
 *
 * @param kind lost log entries, or seqs a device skipped
 * @param deviceId the device whose seqs are missing ({@link Kind#SEQS} only)
 * @param first the first missing index or seq
 * @param last the last missing index or seq
 * @param lossEntries the indices of the loss entries that name it (normally one)
 */
public record CoveredGap(
    Kind kind, Optional<String> deviceId, long first, long last, List<Long> lossEntries) {
  /** What is missing. */
  public enum Kind {
    /** Log indices whose entries were lost to damage (quarantined). */
    ENTRIES,
    /** Sequence numbers of one device that no readable entry carries. */
    SEQS
  }

  public CoveredGap {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(deviceId, "deviceId");
    lossEntries = List.copyOf(lossEntries);
    if (first > last) {
      throw new IllegalArgumentException("empty range " + first + ".." + last);
    }
  }

  /**
   * One line for an operator, e.g. {@code entries 5..5 lost, named by the signed loss entry at
   * index 12}.
   */
  public String describe() {
    String what =
        kind == Kind.ENTRIES
            ? "entries " + first + ".." + last + " lost"
            : "seqs " + first + ".." + last + " of device " + deviceId.orElse("?") + " missing";
    return what
        + (lossEntries.size() == 1
            ? ", named by the signed loss entry at index " + lossEntries.get(0)
            : ", named by the signed loss entries at indices " + lossEntries);
  }
}
