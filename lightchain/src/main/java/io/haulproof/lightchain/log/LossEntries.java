package io.haulproof.lightchain.log;

import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns damage reports into {@code loss} entry bodies, with the lost sequence numbers where a
 * readable neighbour shows them: the entry before the gap (or the start of the log) or the one
 * after it, and both must agree with the number lost when both are readable. {@code chain verify}
 * accepts a seq gap only if a loss entry names exactly its seqs (docs/chain.md, "Gaps and loss
 * entries").
 */
final class LossEntries {
  private LossEntries() {}

  static LossBody body(Path dataDir, SegmentedLog records, LossReport r) {
    LossReason reason =
        switch (r.reason()) {
          case "bad frame" -> LossReason.CRC_MISMATCH;
          case "bad segment header" -> LossReason.UNREADABLE_SEGMENT;
          case "records missing before segment" -> LossReason.MISSING_SEGMENT;
          default -> LossReason.CORRUPT_RECORD;
        };
    OptionalLong firstIndex = OptionalLong.empty();
    OptionalLong lastIndex = OptionalLong.empty();
    OptionalLong firstSeq = OptionalLong.empty();
    OptionalLong lastSeq = OptionalLong.empty();
    if (r.lostCount() > 0) {
      long last = r.firstLostIndex() + r.lostCount() - 1;
      firstIndex = OptionalLong.of(r.firstLostIndex());
      lastIndex = OptionalLong.of(last);
      // Every index holds one entry and seq grows by one per entry (the rule EvidenceLog resumes
      // by), so one readable neighbour shows the lost seqs; two must agree with the count.
      long beforeSeq = r.firstLostIndex() == 0 ? 0 : seqOr(records, r.firstLostIndex() - 1, -1);
      long afterSeq = seqOr(records, last + 1, -1);
      long first;
      if (beforeSeq >= 0 && afterSeq >= 0) {
        first = afterSeq - beforeSeq - 1 == r.lostCount() ? beforeSeq + 1 : -1;
      } else if (beforeSeq >= 0) {
        first = beforeSeq + 1;
      } else if (afterSeq >= 0) {
        first = afterSeq - r.lostCount();
      } else {
        first = -1;
      }
      if (first > 0) {
        firstSeq = OptionalLong.of(first);
        lastSeq = OptionalLong.of(first + r.lostCount() - 1);
      }
    } else if (!r.countKnown()) {
      firstIndex = OptionalLong.of(r.firstLostIndex());
    }
    Optional<String> q =
        Optional.ofNullable(r.quarantined())
            .map(p -> dataDir.toAbsolutePath().relativize(p.toAbsolutePath()))
            .map(Path::toString);
    String detail = r.reason() + (r.countKnown() ? "" : "; number of records lost unknown");
    return new LossBody(
        reason,
        r.segment(),
        r.offset(),
        r.offset() + r.length(),
        firstIndex,
        lastIndex,
        firstSeq,
        lastSeq,
        q,
        Optional.of(detail));
  }

  private static long seqOr(SegmentedLog records, long index, long none) {
    EntryHeader h = header(records, index);
    return h == null ? none : h.seq();
  }

  /**
   * A loss statement for committed records that vanished from the end of the log (the tree had
   * them).
   */
  static LossBody vanishedTail(long logSize, long count) {
    return new LossBody(
        LossReason.MISSING_SEGMENT,
        "(end of log)",
        0,
        0,
        OptionalLong.of(logSize),
        OptionalLong.of(logSize + count - 1),
        OptionalLong.empty(),
        OptionalLong.empty(),
        Optional.empty(),
        Optional.of(
            "the Merkle tree held "
                + count
                + " leaves beyond the end of the log; those indices are reused"));
  }

  /**
   * The header of the entry at {@code index}, or null if it is out of range, lost or unreadable.
   */
  static EntryHeader header(SegmentedLog records, long index) {
    if (index < 0 || index >= records.size() || records.isLost(index)) {
      return null;
    }
    try {
      return EntryCodec.decode(CoseSign1.decode(records.read(index))).header();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The last readable entry's header and index. */
  record Last(EntryHeader header, long index) {}

  /** The last readable entry, or null if there is none. */
  static Last last(SegmentedLog records) {
    for (long i = records.size() - 1; i >= 0; i--) {
      EntryHeader h = header(records, i);
      if (h != null) {
        return new Last(h, i);
      }
    }
    return null;
  }
}
