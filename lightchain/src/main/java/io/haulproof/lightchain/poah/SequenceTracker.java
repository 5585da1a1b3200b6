package io.haulproof.lightchain.poah;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-device sequence positions and the replay rules on them (DESIGN.md, "Replay and ordering"): a
 * device's first entry has seq 1, each next one the previous seq plus exactly 1, and the boot epoch
 * never decreases.
 *
 * <p>Mutable and not thread-safe: the single thread that walks entries in log order owns it; {@link
 * #copy()} gives a checker its own.
 */
public final class SequenceTracker {
  /** Where a device stands: the last accepted boot epoch and seq. */
  public record Position(long bootEpoch, long seq) {}

  private final Map<String, Position> last;

  public SequenceTracker() {
    this(new HashMap<>());
  }

  private SequenceTracker(Map<String, Position> last) {
    this.last = last;
  }

  /** A tracker that has already accepted {@code seq} of {@code deviceId} in {@code bootEpoch}. */
  public static SequenceTracker startingAt(String deviceId, long bootEpoch, long seq) {
    SequenceTracker t = new SequenceTracker();
    t.last.put(deviceId, new Position(bootEpoch, seq));
    return t;
  }

  public SequenceTracker copy() {
    return new SequenceTracker(new HashMap<>(last));
  }

  public Optional<Position> last(String deviceId) {
    return Optional.ofNullable(last.get(deviceId));
  }

  /** The seq the rules want next from {@code deviceId}: 1 for a device not seen yet. */
  public long next(String deviceId) {
    Position p = last.get(deviceId);
    return p == null ? 1 : p.seq() + 1;
  }

  /**
   * Checks entry {@code index} against the rules and, if it passes, advances the device's position.
   */
  public RuleResult accept(long index, String deviceId, long bootEpoch, long seq) {
    return accept(index, deviceId, bootEpoch, seq, false);
  }

  /**
   * As {@link #accept}, except that a seq beyond the next one passes and moves the position past
   * the skipped seqs ({@link #next} before the call tells which). The caller must account for them:
   * chain verification accepts them only if a signed {@code loss} entry names them.
   */
  public RuleResult acceptOverGap(long index, String deviceId, long bootEpoch, long seq) {
    return accept(index, deviceId, bootEpoch, seq, true);
  }

  private RuleResult accept(
      long index, String deviceId, long bootEpoch, long seq, boolean overGap) {
    Position p = last.get(deviceId);
    long wantSeq = p == null ? 1 : p.seq() + 1;
    if (seq != wantSeq && !(overGap && seq > wantSeq)) {
      String what = seq < wantSeq ? "reused seq " : "gap in seq: seq ";
      return RuleResult.failed(
          "sequence",
          "entry " + index + " of device " + deviceId + ": " + what + seq + ", want " + wantSeq);
    }
    if (p != null && bootEpoch < p.bootEpoch()) {
      return RuleResult.failed(
          "sequence",
          "entry "
              + index
              + " of device "
              + deviceId
              + ": boot epoch went back to "
              + bootEpoch
              + " from "
              + p.bootEpoch());
    }
    last.put(deviceId, new Position(bootEpoch, seq));
    return RuleResult.ok();
  }
}
