package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A signed statement of detected loss, corruption or quarantine, with what is known of the gap
 * (DESIGN.md, "Damage").
 *
 * @param reason the kind of damage
 * @param segment the segment (file) name where it was found
 * @param fromOffset the first damaged byte offset in the segment
 * @param toOffset the end (exclusive) of the damaged byte range
 * @param firstIndex the first log index lost, if known
 * @param lastIndex the last log index lost, if known
 * @param firstSeq the first sequence number lost, if known
 * @param lastSeq the last sequence number lost, if known
 * @param quarantinePath where the damaged bytes were copied, relative to the data dir
 * @param detail a free-text description
 */
public record LossBody(
    LossReason reason,
    String segment,
    long fromOffset,
    long toOffset,
    OptionalLong firstIndex,
    OptionalLong lastIndex,
    OptionalLong firstSeq,
    OptionalLong lastSeq,
    Optional<String> quarantinePath,
    Optional<String> detail)
    implements EntryBody {
  public LossBody {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(firstIndex, "firstIndex");
    Objects.requireNonNull(lastIndex, "lastIndex");
    Objects.requireNonNull(firstSeq, "firstSeq");
    Objects.requireNonNull(lastSeq, "lastSeq");
    Objects.requireNonNull(quarantinePath, "quarantinePath");
    Objects.requireNonNull(detail, "detail");
    if (fromOffset < 0 || toOffset < fromOffset) {
      throw new IllegalArgumentException(
          "byte range [" + fromOffset + ", " + toOffset + ") invalid");
    }
  }

  @Override
  public EntryKind kind() {
    return EntryKind.loss;
  }

  /** One line for an operator: what was lost, where, and what is known of it. */
  public String summary() {
    String indices =
        firstIndex.isEmpty()
            ? "unknown indices"
            : lastIndex.isEmpty()
                ? "indices from " + firstIndex.getAsLong() + " (count unknown)"
                : (lastIndex.getAsLong() - firstIndex.getAsLong() + 1)
                    + " entries, indices "
                    + firstIndex.getAsLong()
                    + ".."
                    + lastIndex.getAsLong();
    return reason
        + ": "
        + indices
        + " lost in "
        + segment
        + detail.map(d -> " (" + d + ")").orElse("")
        + quarantinePath.map(q -> "; copy in " + q).orElse("");
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, reason.code())
        .put(2, segment)
        .put(3, fromOffset)
        .put(4, toOffset)
        .opt(5, firstIndex)
        .opt(6, lastIndex)
        .opt(7, firstSeq)
        .opt(8, lastSeq)
        .opt(9, quarantinePath)
        .opt(10, detail)
        .build();
  }

  static LossBody read(MapReader r) {
    return new LossBody(
        LossReason.fromCode(r.requireLong(1)),
        r.requireText(2),
        r.requireLong(3, 0, Long.MAX_VALUE),
        r.requireLong(4, 0, Long.MAX_VALUE),
        r.optLong(5, 0, Long.MAX_VALUE),
        r.optLong(6, 0, Long.MAX_VALUE),
        r.optLong(7, 1, Long.MAX_VALUE),
        r.optLong(8, 1, Long.MAX_VALUE),
        r.optText(9),
        r.optText(10));
  }
}
