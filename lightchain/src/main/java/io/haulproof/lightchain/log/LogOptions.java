package io.haulproof.lightchain.log;

/**
 * Tuning of the evidence log.
 *
 * @param segmentBytes a segment is closed and a new one started once it would grow beyond this many
 *     bytes
 * @param maxGroupRecords the most records one group commit (one {@code force}) covers
 * @param treeCheckpointEvery the Merkle tree is made durable after this many new leaves (and at
 *     close)
 */
public record LogOptions(long segmentBytes, int maxGroupRecords, long treeCheckpointEvery) {
  /** 64 MiB segments, groups of up to 4096 records, a tree checkpoint every 65536 leaves. */
  public static final LogOptions DEFAULTS = new LogOptions(64L << 20, 4096, 65536);

  public LogOptions {
    if (segmentBytes < Frames.HEADER_SIZE + Frames.FRAME_OVERHEAD + 1
        || segmentBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segmentBytes " + segmentBytes + " out of range");
    }
    if (maxGroupRecords < 1) {
      throw new IllegalArgumentException("maxGroupRecords " + maxGroupRecords + " < 1");
    }
    if (treeCheckpointEvery < 1) {
      throw new IllegalArgumentException("treeCheckpointEvery " + treeCheckpointEvery + " < 1");
    }
  }

  public static LogOptions defaults() {
    return DEFAULTS;
  }

  public LogOptions withSegmentBytes(long bytes) {
    return new LogOptions(bytes, maxGroupRecords, treeCheckpointEvery);
  }

  public LogOptions withTreeCheckpointEvery(long n) {
    return new LogOptions(segmentBytes, maxGroupRecords, n);
  }
}
