package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.index.DerivedStateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A derived index of the tails of closed, undamaged segments (first index, next index, end, offset
 * of the last frame), so that opening a long log scans only the newest segment.
 *
 * <p>Never trusted blindly: before a remembered tail is used, the file must be exactly as long as
 * remembered, its header must name the remembered first index, and its last frame must be where the
 * index says, with its index and CRC. Anything else, and the segment is scanned as before (and
 * remembered afresh). A segment found damaged is never remembered, so its damage is found and
 * reported at every open until acknowledged, as before.
 */
final class SegmentTails {
  private static final String PREFIX = "tail.";

  private final DerivedStateStore store;
  private int trusted;

  SegmentTails(DerivedStateStore store) {
    this.store = store;
  }

  /** How many segments this open took from the index without scanning them. */
  int trusted() {
    return trusted;
  }

  /** The remembered tail of {@code file}, checked against the file, as a scan result; or null. */
  SegmentScan lookup(Path file) {
    Bytes v = store.get(PREFIX + file.getFileName()).orElse(null);
    if (v == null || v.length() != 32) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(v.toByteArray());
    long first = b.getLong();
    long next = b.getLong();
    long end = b.getLong();
    long lastFrame = b.getLong();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() != end || first < 0 || next < first) {
        return null;
      }
      ByteBuffer h = read(ch, 0, Frames.HEADER_SIZE);
      if (h == null || Frames.parseHeader(h, 0) != first) {
        return null;
      }
      if (next == first) {
        return end == Frames.HEADER_SIZE ? SegmentScan.trusted(file, first, next, end) : null;
      }
      if (lastFrame < Frames.HEADER_SIZE
          || end - lastFrame > Frames.FRAME_OVERHEAD + Frames.MAX_PAYLOAD) {
        return null;
      }
      ByteBuffer f = read(ch, lastFrame, (int) (end - lastFrame));
      if (f == null
          || Frames.checkFrame(f, 0) != next - 1
          || Frames.frameSize(f.getInt(0)) != f.limit()) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    trusted++;
    return SegmentScan.trusted(file, first, next, end);
  }

  /** Remembers the tail of a segment that scanned clean and will not be written again. */
  void remember(SegmentScan s) {
    if (!s.damage.isEmpty() || s.tornAt >= 0 || s.headerFirst < 0 || s.size != s.validEnd) {
      return;
    }
    store.put(
        PREFIX + s.file.getFileName(),
        Bytes.wrap(
            ByteBuffer.allocate(32)
                .putLong(s.headerFirst)
                .putLong(s.nextIndex)
                .putLong(s.validEnd)
                .putLong(s.lastFrame)
                .array()));
  }

  void commit() throws IOException {
    store.commit();
  }

  private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        return null;
      }
    }
    return b.flip();
  }
}
