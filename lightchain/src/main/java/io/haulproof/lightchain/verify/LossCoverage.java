package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.verify.CoveredGap.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gaps a chain walk finds and the signed {@code loss} entries that account for them
 * (docs/chain.md, "Gaps and loss entries").
 *
 * <p>A gap is a run of log indices whose entries were lost to damage, or seqs that a device
 * skipped. The writer logs its loss entry when it next opens the log, so after the gap: gaps are
 * collected in log order and judged by {@link #finish()}. The ranges that loss entries name must
 * together hold every index or seq of the gap (normally one loss entry names exactly the gap; two
 * damage regions side by side give two entries for one gap). A loss entry that names anything the
 * walk did not find missing (a range reaching beyond a gap, or where there is none) is inconsistent
 * and fails at once. Memory: one small object per gap, at most {@value #MAX_GAPS}, never per entry.
 * Not thread-safe; the walk's sequential pass owns it.
 */
final class LossCoverage {
  static final int MAX_GAPS = 10_000;

  private static final class Gap {
    final Kind kind;
    final String device;
    final long first;
    long last;
    final long at;
    final List<long[]> named = new ArrayList<>(1);
    final List<Long> lossEntries = new ArrayList<>(1);

    Gap(Kind kind, String device, long first, long last, long at) {
      this.kind = kind;
      this.device = device;
      this.first = first;
      this.last = last;
      this.at = at;
    }

    boolean overlaps(long from, long to) {
      return first <= to && from <= last;
    }

    /** True if the named ranges together hold every index or seq of the gap. */
    boolean covered() {
      List<long[]> sorted = new ArrayList<>(named);
      sorted.sort((x, y) -> Long.compare(x[0], y[0]));
      long next = first;
      for (long[] r : sorted) {
        if (r[0] > next) {
          return false;
        }
        next = Math.max(next, r[1] + 1);
      }
      return next > last;
    }
  }

  private final List<Gap> gaps = new ArrayList<>();
  private Gap run;
  private int named;

  /** Entry {@code index} is lost; consecutive lost indices form one gap. */
  Optional<String> lost(long index) {
    if (run != null && run.last + 1 == index) {
      run.last = index;
      return Optional.empty();
    }
    run = new Gap(Kind.ENTRIES, null, index, index, index);
    return add(run);
  }

  /** Entry {@code index} was read; it ends any run of lost entries. */
  void readable() {
    run = null;
  }

  /** Entry {@code index} of {@code device} skipped seqs {@code first..last}. */
  Optional<String> skipped(long index, String device, long first, long last) {
    return add(new Gap(Kind.SEQS, device, first, last, index));
  }

  private Optional<String> add(Gap g) {
    if (gaps.size() >= MAX_GAPS) {
      return Optional.of(
          "more than "
              + MAX_GAPS
              + " gaps in the chain (the next at entry "
              + g.at
              + "); verification stops to bound its memory");
    }
    gaps.add(g);
    return Optional.empty();
  }

  /**
   * The loss entry at {@code index}, signed by {@code device}, names what it says was lost; empty
   * if every range it names is a gap found so far (it then covers that gap).
   *
   * <p>An index range that starts at or after the loss entry itself names no gap: it is the writer
   * saying that indices of vanished entries were given again (the loss entry for a vanished tail).
   * Ranges given only in part (a first without a last) name no gap either.
   */
  Optional<String> statement(long index, String device, LossBody body) {
    if (body.firstIndex().isPresent()
        && body.lastIndex().isPresent()
        && body.firstIndex().getAsLong() < index) {
      long first = body.firstIndex().getAsLong();
      long last = body.lastIndex().getAsLong();
      String names = "loss entry at index " + index + " names entries " + first + ".." + last;
      if (last >= index || last < first) {
        return Optional.of(
            names + " as lost, " + (last < first ? "an empty range" : "past itself"));
      }
      Optional<String> bad = cover(Kind.ENTRIES, null, first, last, index);
      if (bad.isPresent()) {
        return Optional.of(names + " as lost, but " + bad.get());
      }
    }
    if (body.firstSeq().isPresent() && body.lastSeq().isPresent()) {
      long first = body.firstSeq().getAsLong();
      long last = body.lastSeq().getAsLong();
      Optional<String> bad =
          last < first
              ? Optional.of("that is an empty range")
              : cover(Kind.SEQS, device, first, last, index);
      if (bad.isPresent()) {
        return Optional.of(
            "loss entry at index "
                + index
                + " names seqs "
                + first
                + ".."
                + last
                + " of device "
                + device
                + " as lost, but "
                + bad.get());
      }
    }
    return Optional.empty();
  }

  /**
   * Names {@code first..last} within the one gap of that kind (and device) holding all of it, or
   * says why it cannot: a range reaching beyond a gap claims entries or seqs the chain holds.
   */
  private Optional<String> cover(Kind kind, String device, long first, long last, long index) {
    Gap near = null;
    for (Gap g : gaps) {
      if (g.kind != kind || (device != null && !device.equals(g.device))) {
        continue;
      }
      if (g.first <= first && last <= g.last) {
        if (++named > MAX_GAPS) {
          return Optional.of(
              "more than " + MAX_GAPS + " ranges named; verification stops to bound its memory");
        }
        g.named.add(new long[] {first, last});
        if (!g.lossEntries.contains(index)) {
          g.lossEntries.add(index);
        }
        return Optional.empty();
      }
      if (near == null && g.overlaps(first, last)) {
        near = g;
      }
    }
    String missing =
        kind == Kind.ENTRIES ? "the lost entries there are only " : "the missing seqs are only ";
    String none =
        kind == Kind.ENTRIES ? "the log holds them" : "the chain holds each of these seqs";
    return Optional.of(near == null ? none : missing + near.first + ".." + near.last);
  }

  /** The first gap (by log position) that no loss entry named, if any. */
  Optional<String> finish() {
    for (Gap g : gaps) {
      if (g.covered()) {
        continue;
      }
      String named =
          g.named.isEmpty()
              ? "no signed loss entry names them"
              : "signed loss entries name only part of them (" + ranges(g.named) + ")";
      if (g.kind == Kind.ENTRIES) {
        return Optional.of("entries " + g.first + ".." + g.last + " are lost and " + named);
      }
      return Optional.of(
          "entry "
              + g.at
              + " of device "
              + g.device
              + ": gap in seq: seq "
              + (g.last + 1)
              + ", want "
              + g.first
              + " (seqs "
              + g.first
              + ".."
              + g.last
              + " missing), and "
              + named);
    }
    return Optional.empty();
  }

  private static String ranges(List<long[]> named) {
    StringBuilder b = new StringBuilder();
    for (long[] r : named) {
      b.append(b.length() == 0 ? "" : ", ").append(r[0]).append("..").append(r[1]);
    }
    return b.toString();
  }

  /** Every gap, each named by loss entries, in log order; call after {@link #finish()} passed. */
  List<CoveredGap> covered() {
    List<CoveredGap> out = new ArrayList<>();
    for (Gap g : gaps) {
      out.add(
          new CoveredGap(g.kind, Optional.ofNullable(g.device), g.first, g.last, g.lossEntries));
    }
    return out;
  }
}
