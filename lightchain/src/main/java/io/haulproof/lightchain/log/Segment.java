package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One segment file as the log knows it: a sparse map from index to byte offset, and a channel for
 * reads.
 */
final class Segment implements Closeable {
  final Path path;

  /** Pairs (index, offset), in order; guarded by the log's lock. */
  final List<long[]> sparse = new ArrayList<>();

  /** The byte after the last committed frame; guarded by the log's lock. */
  long end;

  private FileChannel reader;

  Segment(Path path) {
    this.path = path;
  }

  String name() {
    return path.getFileName().toString();
  }

  /** The first readable index in this segment, or -1 if it has none. */
  long firstIndex() {
    return sparse.isEmpty() ? -1 : sparse.get(0)[0];
  }

  /**
   * The offset from which a forward scan reaches {@code index}: the sparse point at or before it.
   */
  long[] floor(long index) {
    int lo = 0;
    int hi = sparse.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (sparse.get(mid)[0] <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return sparse.get(lo);
  }

  private synchronized FileChannel channel() throws IOException {
    if (reader == null) {
      reader = FileChannel.open(path, StandardOpenOption.READ);
    }
    return reader;
  }

  /** Reads the 16-byte frame header at {@code offset}: {length, index}; checks nothing. */
  long[] header(long offset) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(Frames.FRAME_OVERHEAD);
    readFully(h, offset);
    return new long[] {h.getInt(0), h.getLong(8)};
  }

  /** Reads and CRC-checks the frame at {@code offset}, which must hold {@code index}. */
  Bytes payload(long offset, long index) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(Frames.FRAME_OVERHEAD);
    readFully(h, offset);
    int len = h.getInt(0);
    if (len < 1 || len > Frames.MAX_PAYLOAD || h.getLong(8) != index) {
      throw new LostRecordException(
          "record "
              + index
              + " in "
              + name()
              + " at "
              + offset
              + ": bad frame header (index "
              + h.getLong(8)
              + ")");
    }
    byte[] p = new byte[len];
    readFully(ByteBuffer.wrap(p), offset + Frames.FRAME_OVERHEAD);
    CRC32C crc = new CRC32C();
    crc.update(h.array(), 0, 4);
    crc.update(h.array(), 8, 8);
    crc.update(p);
    if ((int) crc.getValue() != h.getInt(4)) {
      throw new LostRecordException(
          "record "
              + index
              + " in "
              + name()
              + " at "
              + offset
              + ": CRC32C "
              + Integer.toHexString((int) crc.getValue())
              + ", want "
              + Integer.toHexString(h.getInt(4)));
    }
    return Bytes.wrap(p);
  }

  private void readFully(ByteBuffer b, long pos) throws IOException {
    FileChannel ch = channel();
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new LostRecordException(
            "unexpected end of " + name() + " at " + (pos + b.position()));
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
