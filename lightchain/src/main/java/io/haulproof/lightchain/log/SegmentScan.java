package io.haulproof.lightchain.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a segment file at open: checks every frame and finds torn tails and damage (rules
 * in {@link SegmentedLog}).
 */
final class SegmentScan {
  /**
   * A stretch of bytes that is not a valid frame, and the indices it stands for ({@code lostTo} -1:
   * unknown yet).
   */
  static final class Region {
    final long offset;
    final long end;
    final long lostFrom;
    long lostTo;
    final String reason;

    Region(long offset, long end, long lostFrom, long lostTo, String reason) {
      this.offset = offset;
      this.end = end;
      this.lostFrom = lostFrom;
      this.lostTo = lostTo;
      this.reason = reason;
    }
  }

  static final int SPARSE_EVERY = 64;

  final Path file;
  long headerFirst = -1;
  long nextIndex;
  long validEnd;
  long size;

  /** Pairs (index, offset) of every 64th frame and of every frame after damage. */
  final List<long[]> sparse = new ArrayList<>();

  final List<Region> damage = new ArrayList<>();

  /** Offset of the last valid frame, or -1 if there is none. */
  long lastFrame = -1;

  /** Where to cut a torn tail, or -1. */
  long tornAt = -1;

  /** The file is only a torn, partly written header: it held no record. */
  boolean tornCreation;

  private SegmentScan(Path file) {
    this.file = file;
  }

  /**
   * A segment taken from {@link SegmentTails} without a scan: clean, frames {@code first} to {@code
   * next - 1}, ending at {@code end}; reads find frames by walking from the first one.
   */
  static SegmentScan trusted(Path file, long first, long next, long end) {
    SegmentScan s = new SegmentScan(file);
    s.headerFirst = first;
    s.nextIndex = next;
    s.validEnd = end;
    s.size = end;
    if (next > first) {
      s.sparse.add(new long[] {first, Frames.HEADER_SIZE});
    }
    return s;
  }

  /**
   * Scans {@code file}; the first frame may carry any index from {@code expected} on, later ones
   * must follow by one.
   *
   * @param last whether this is the newest segment, the only one that can have a torn tail
   */
  static SegmentScan scan(Path file, long expected, boolean last) throws IOException {
    SegmentScan s = new SegmentScan(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      s.size = ch.size();
      if (s.size > Integer.MAX_VALUE) {
        throw new IOException("segment " + file + " is larger than 2 GiB");
      }
      if (s.size <= Frames.HEADER_SIZE && last) {
        ByteBuffer b = ByteBuffer.allocate((int) s.size);
        ch.read(b, 0);
        b.flip();
        s.headerFirst = Frames.parseHeader(b, 0);
        s.tornCreation = s.headerFirst < 0;
        s.nextIndex = s.headerFirst < 0 ? expected : Math.max(expected, s.headerFirst);
        s.validEnd = s.headerFirst < 0 ? 0 : Frames.HEADER_SIZE;
        return s;
      }
      ByteBuffer b =
          s.size == 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, s.size);
      s.run(b, expected, last);
    }
    return s;
  }

  private void run(ByteBuffer b, long expected, boolean last) {
    int sz = b.limit();
    headerFirst = Frames.parseHeader(b, 0);
    int pos;
    int sinceSparse = SPARSE_EVERY;
    if (headerFirst >= 0) {
      pos = Frames.HEADER_SIZE;
      validEnd = pos;
      // A later first index means records are missing between segments; the caller records that
      // gap.
      expected = Math.max(expected, headerFirst);
    } else {
      int q = resync(b, 0, expected);
      if (q < 0) {
        tail(b, 0, expected, last);
        nextIndex = expected;
        return;
      }
      long found = Frames.checkFrame(b, q);
      damage.add(new Region(0, q, expected, found, "bad segment header"));
      expected = found;
      pos = q;
    }
    while (pos < sz) {
      long idx = Frames.checkFrame(b, pos);
      if (idx != expected) {
        int q = resync(b, pos, expected);
        if (q < 0) {
          tail(b, pos, expected, last);
          nextIndex = expected;
          return;
        }
        idx = Frames.checkFrame(b, q);
        damage.add(new Region(pos, q, expected, idx, "bad frame"));
        pos = q;
        sinceSparse = SPARSE_EVERY;
      }
      if (sinceSparse >= SPARSE_EVERY) {
        sparse.add(new long[] {idx, pos});
        sinceSparse = 0;
      }
      sinceSparse++;
      expected = idx + 1;
      lastFrame = pos;
      pos += Frames.FRAME_OVERHEAD + b.getInt(pos);
      validEnd = pos;
    }
    nextIndex = expected;
  }

  /**
   * The offset of the next valid frame at or after {@code from} whose index is at least {@code
   * expected}, or -1.
   */
  private static int resync(ByteBuffer b, int from, long expected) {
    for (int q = from; q <= b.limit() - Frames.FRAME_OVERHEAD - 1; q++) {
      long idx = Frames.checkFrame(b, q);
      if (idx >= expected) {
        return q;
      }
    }
    return -1;
  }

  /** Classifies the invalid bytes from {@code pos} to the end, where no valid frame follows. */
  private void tail(ByteBuffer b, int pos, long expected, boolean last) {
    int sz = b.limit();
    if (last && isTorn(b, pos, expected)) {
      tornAt = pos;
      return;
    }
    damage.add(
        new Region(pos, sz, expected, last ? expected : -1, last ? "damaged tail" : "bad frame"));
  }

  /**
   * A torn tail is what an interrupted write or a power cut leaves: a frame cut short, or zeros to
   * the end. Anything else (a complete frame with a wrong CRC, non-zero garbage) is treated as
   * damage and reported.
   */
  private static boolean isTorn(ByteBuffer b, int pos, long expected) {
    int rest = b.limit() - pos;
    if (rest < Frames.FRAME_OVERHEAD) {
      return true;
    }
    int len = b.getInt(pos);
    if (len == 0) {
      for (int i = pos; i < b.limit(); i++) {
        if (b.get(i) != 0) {
          return false;
        }
      }
      return true;
    }
    return len > 0
        && len <= Frames.MAX_PAYLOAD
        && rest < Frames.FRAME_OVERHEAD + len
        && b.getLong(pos + 8) == expected;
  }
}
