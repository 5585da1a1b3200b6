package io.haulproof.lightchain;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.log.LogCursor;
import io.haulproof.lightchain.log.LogRecord;
import io.haulproof.lightchain.log.LostRecordException;
import io.haulproof.lightchain.log.SegmentedLog;
import io.haulproof.lightchain.verify.EntrySource;
import java.io.IOException;

/**
 * A record log's entries for the verifier, through one forward cursor (far cheaper than a lookup
 * per index).
 */
final class LogEntrySource implements EntrySource {
  private final SegmentedLog records;
  private LogCursor cursor;

  LogEntrySource(SegmentedLog records) {
    this.records = records;
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
  public void readRange(long from, Bytes[] out) throws IOException {
    if (cursor == null || cursor.position() != from) {
      cursor = records.cursor(from);
    }
    for (int i = 0; i < out.length; i++) {
      long want = from + i;
      LogRecord r = cursor.next();
      if (r == null || r.index() != want) {
        throw new LostRecordException(
            "entry "
                + want
                + " is lost"
                + (r == null ? "" : " (next readable is " + r.index() + ")"));
      }
      out[i] = r.payload();
    }
  }
}
