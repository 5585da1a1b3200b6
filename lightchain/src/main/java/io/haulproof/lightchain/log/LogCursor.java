package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;

/**
 * Reads committed records forward from an index, for verification and uplink; lost indices are
 * skipped (the jump in {@link LogRecord#index()} shows them). Not thread-safe; each reader takes
 * its own cursor.
 */
public final class LogCursor {
  private final SegmentedLog log;
  private long next;
  private Segment segment;
  private long offset = -1;

  LogCursor(SegmentedLog log, long from) {
    if (from < 0) {
      throw new IllegalArgumentException("negative start index " + from);
    }
    this.log = log;
    this.next = from;
  }

  /** The index the next call to {@link #next()} will try first. */
  public long position() {
    return next;
  }

  /**
   * The next committed, readable record, or null when the cursor has reached {@link
   * SegmentedLog#size()}.
   *
   * @throws LostRecordException if a record fails its CRC now (damage after open)
   */
  public LogRecord next() throws IOException {
    next = log.nextReadable(next);
    if (next >= log.size()) {
      return null;
    }
    if (segment == null || offset < 0 || offset >= segmentEnd()) {
      long[] at = new long[2];
      segment = log.locate(next, at);
      offset = at[1];
    }
    Bytes payload;
    try {
      payload = segment.payload(offset, next);
    } catch (LostRecordException e) {
      // the frame here is not the one expected (the cursor crossed into damage): find it through
      // the sparse index
      long[] at = new long[2];
      segment = log.locate(next, at);
      offset = at[1];
      payload = segment.payload(offset, next);
    }
    offset += Frames.FRAME_OVERHEAD + payload.length();
    return new LogRecord(next++, payload);
  }

  private long segmentEnd() {
    log.lock.readLock().lock();
    try {
      return segment.end;
    } finally {
      log.lock.readLock().unlock();
    }
  }
}
