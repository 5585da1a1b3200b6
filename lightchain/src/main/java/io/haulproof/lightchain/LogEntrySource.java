package io.haulproof.lightchain;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.log.LogCursor;
import io.haulproof.lightchain.log.LogRecord;
import io.haulproof.lightchain.log.LostRecordException;
import io.haulproof.lightchain.log.SegmentedLog;
import io.haulproof.lightchain.verify.EntrySource;
import java.io.IOException;
import java.util.Optional;

/**
 * A record log's entries for the verifier, through one forward cursor (far cheaper than a lookup
 * per index). Lost indices read as {@code null}, with the leaf hash the stored tree kept for them.
 */
final class LogEntrySource implements EntrySource {
  /** The stored tree's leaf hash for a lost index, if it has one. */
  interface LostLeaves {
    Optional<Hash> leafHash(long index) throws IOException;
  }

  private final SegmentedLog records;
  private final LostLeaves leaves;
  private LogCursor cursor;
  private LogRecord ahead;
  private long expected;

  LogEntrySource(SegmentedLog records, LostLeaves leaves) {
    this.records = records;
    this.leaves = leaves;
  }

  @Override
  public long size() {
    return records.size();
  }

  @Override
  public Bytes read(long index) throws IOException {
    return records.read(index);
  }

  @Override
  public boolean isLost(long index) {
    return records.isLost(index);
  }

  @Override
  public Hash lostLeafHash(long index) throws IOException {
    return leaves.leafHash(index).orElse(LOST_LEAF);
  }

  @Override
  public void readRange(long from, Bytes[] out) throws IOException {
    if (cursor == null || from != expected) {
      cursor = records.cursor(from);
      ahead = null;
    }
    for (int i = 0; i < out.length; i++) {
      long want = from + i;
      LogRecord r = ahead != null ? ahead : cursor.next();
      ahead = null;
      if (r != null && r.index() == want) {
        out[i] = r.payload();
      } else if (records.isLost(want)) {
        out[i] = null; // the cursor skipped it; r is a later index
        ahead = r;
      } else {
        throw new LostRecordException(
            "entry "
                + want
                + " is unreadable"
                + (r == null ? "" : " (next readable is " + r.index() + ")"));
      }
    }
    expected = from + out.length;
  }
}
