package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * An append-only file of records, each {@code u32 length ‖ u32 CRC32C(payload) ‖ payload}
 * (big-endian), after an 8-byte magic.
 *
 * <p>Durability: {@link #append(Bytes)} returns only after {@link FileChannel#force(boolean)} has
 * returned. Recovery on {@link #open}: a torn last record (short header, short payload, or a bad
 * CRC with nothing after it) is truncated away; a damaged record followed by more bytes is damage
 * in the middle: the whole file is first copied to {@code quarantine/}, then the file is cut back
 * to the last good record and the damage is reported in {@link #recovery()}. Nothing is ever
 * "repaired" in place.
 *
 * <p>Nothing per record is held in memory: the file remembers its record count, its end and the
 * offset of its last record, and {@link #read(long)} reads a record at an offset. An owner that
 * keeps a derived index of offsets can hand {@link #open(Path, byte[], Path, Resume, Found)} the
 * point it had reached; the record there is checked (length, CRC) before it is used, and only the
 * bytes after it are scanned. One writer; reads may come from any thread.
 */
public final class RecordFile implements AutoCloseable {
  static final int HEADER = 8;
  public static final int MAX_RECORD = 1 << 20;

  /** What {@link #open} found and did. */
  public record Recovery(
      int records, long tornBytes, long damageOffset, Optional<Path> quarantined) {
    public boolean damaged() {
      return quarantined.isPresent();
    }
  }

  /**
   * A point a derived index had reached: {@code records} records, the last at {@code lastOffset}
   * with CRC {@code lastCrc}, ending at {@code end}.
   */
  public record Resume(long records, long end, long lastOffset, int lastCrc) {}

  /** Told the number and offset of each intact record a scan at open walks over. */
  @FunctionalInterface
  public interface Found {
    void record(long number, long offset);

    Found NONE = (n, o) -> {};
  }

  private final FileChannel channel;
  private final Path file;
  private final Path quarantineDir;
  private final Recovery recovery;
  private final boolean resumed;
  private volatile long count;
  private volatile long end;
  private volatile long lastOffset;
  private volatile int lastCrc;

  private RecordFile(
      FileChannel channel, Path file, Path quarantineDir, Scan scan, Recovery recovery, boolean r) {
    this.channel = channel;
    this.file = file;
    this.quarantineDir = quarantineDir;
    this.count = scan.count;
    this.end = scan.end;
    this.lastOffset = scan.lastOffset;
    this.lastCrc = scan.lastCrc;
    this.recovery = recovery;
    this.resumed = r;
  }

  /**
   * Opens or creates {@code file} with the given 8-byte {@code magic}; recovers as described on the
   * class.
   *
   * @param quarantineDir where a damaged file is copied before it is cut back
   * @throws IOException if the file cannot be read or has a wrong magic
   */
  public static RecordFile open(Path file, byte[] magic, Path quarantineDir) throws IOException {
    return open(file, magic, quarantineDir, null, Found.NONE);
  }

  /**
   * As {@link #open(Path, byte[], Path)}, scanning only after {@code from} if the record it names
   * is intact where it says (else the whole file); {@code found} hears of every record scanned.
   */
  public static RecordFile open(
      Path file, byte[] magic, Path quarantineDir, Resume from, Found found) throws IOException {
    if (magic.length != HEADER) {
      throw new IllegalArgumentException("magic must be " + HEADER + " bytes, got " + magic.length);
    }
    DurableFiles.createPrivateDirectories(file.toAbsolutePath().getParent());
    boolean created = !Files.exists(file);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (created || ch.size() == 0) {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(magic), 0);
        ch.force(true);
        DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
        return new RecordFile(
            ch,
            file,
            quarantineDir,
            new Scan(0, HEADER, -1, -1, 0),
            new Recovery(0, 0, -1, Optional.empty()),
            false);
      }
      boolean resume = from != null && intactAt(ch, from);
      Scan scan =
          resume
              ? scan(
                  ch,
                  magic,
                  file,
                  from.records(),
                  from.end(),
                  from.lastOffset(),
                  from.lastCrc(),
                  found)
              : scan(ch, magic, file, 0, HEADER, -1, 0, found);
      Optional<Path> quarantined = Optional.empty();
      if (scan.damageOffset >= 0) {
        quarantined = Optional.of(copyToQuarantine(file, quarantineDir, "damaged"));
      }
      long torn = ch.size() - scan.end;
      if (torn > 0) {
        ch.truncate(scan.end);
        ch.force(true);
      }
      return new RecordFile(
          ch,
          file,
          quarantineDir,
          scan,
          new Recovery((int) scan.count, torn, scan.damageOffset, quarantined),
          resume);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** True if the record {@code from} names is intact and ends where it says. */
  private static boolean intactAt(FileChannel ch, Resume from) throws IOException {
    if (from.records() < 1 || from.lastOffset() < HEADER || from.end() > ch.size()) {
      return from.records() == 0 && from.end() == HEADER && ch.size() >= HEADER;
    }
    ByteBuffer rh = ByteBuffer.allocate(8);
    readFully(ch, rh, from.lastOffset());
    int len = rh.getInt(0);
    if (rh.hasRemaining()
        || len <= 0
        || len > MAX_RECORD
        || rh.getInt(4) != from.lastCrc()
        || from.lastOffset() + 8 + len != from.end()) {
      return false;
    }
    ByteBuffer payload = ByteBuffer.allocate(len);
    readFully(ch, payload, from.lastOffset() + 8);
    CRC32C c = new CRC32C();
    c.update(payload.array());
    return !payload.hasRemaining() && (int) c.getValue() == from.lastCrc();
  }

  /** Whether open could start from the point it was given (else it scanned the whole file). */
  public boolean resumed() {
    return resumed;
  }

  private static Path copyToQuarantine(Path file, Path quarantineDir, String why)
      throws IOException {
    Path copy =
        quarantineDir.resolve(
            file.getFileName() + "." + Instant.now().toString().replace(':', '-') + "." + why);
    // Durable before the file is cut back: a power cut must not lose both.
    DurableFiles.copy(file, copy);
    return copy;
  }

  /**
   * Keeps only the first {@code keep} records: first copies the whole file to {@code quarantine/}
   * (suffix {@code why}), then cuts the file back to byte {@code at} (where record {@code keep}
   * starts) and forces it. For records that turned out not to belong (see {@code Lightchain.open}).
   *
   * @return the quarantined copy
   */
  public Path cutBackTo(int keep, String why) throws IOException {
    long[] at = {end};
    scan(channel, null, file, 0, HEADER, -1, 0, (n, o) -> at[0] = n == keep ? o : at[0], end);
    return cutBackTo(keep, at[0], why);
  }

  /** As {@link #cutBackTo(int, String)}, where the caller knows record {@code keep} starts at. */
  public Path cutBackTo(long keep, long at, String why) throws IOException {
    if (keep < 0 || keep > count || at < HEADER || at > end) {
      throw new IllegalArgumentException("keep " + keep + " at " + at + " not in this file");
    }
    Path copy = copyToQuarantine(file, quarantineDir, why);
    Scan kept = scan(channel, null, file, 0, HEADER, -1, 0, Found.NONE, at);
    if (kept.count != keep || kept.end != at) {
      throw new IOException(
          file + ": " + kept.count + " records end at " + kept.end + ", not " + keep + " at " + at);
    }
    channel.truncate(at);
    channel.force(true);
    end = at;
    count = keep;
    lastOffset = kept.lastOffset;
    lastCrc = kept.lastCrc;
    return copy;
  }

  /**
   * Reads every intact record of {@code file} without changing it; throws on any damage, torn tail
   * included.
   */
  public static List<Bytes> readStrict(Path file, byte[] magic) throws IOException {
    List<Bytes> out = new ArrayList<>();
    long[] offsets = strictOffsets(file, magic);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (long o : offsets) {
        out.add(read(ch, file, o));
      }
    }
    return out;
  }

  /**
   * The offset of every record of {@code file}, checked without changing it; throws on any damage,
   * torn tail included.
   */
  public static long[] strictOffsets(Path file, byte[] magic) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long[][] acc = {new long[64]};
      Scan scan =
          scan(
              ch,
              magic,
              file,
              0,
              HEADER,
              -1,
              0,
              (n, o) -> {
                if (n >= acc[0].length) {
                  acc[0] = java.util.Arrays.copyOf(acc[0], acc[0].length * 2);
                }
                acc[0][(int) n] = o;
              });
      if (scan.damageOffset >= 0) {
        throw new IOException(file + ": damaged record at offset " + scan.damageOffset);
      }
      if (scan.end != ch.size()) {
        throw new IOException(
            file + ": torn record at offset " + scan.end + ", file size " + ch.size());
      }
      return java.util.Arrays.copyOf(acc[0], (int) scan.count);
    }
  }

  private record Scan(long count, long end, long damageOffset, long lastOffset, int lastCrc) {}

  private static Scan scan(
      FileChannel ch,
      byte[] magic,
      Path file,
      long count,
      long pos,
      long lastOffset,
      int lastCrc,
      Found found)
      throws IOException {
    return scan(ch, magic, file, count, pos, lastOffset, lastCrc, found, ch.size());
  }

  /** Scans records from {@code pos} (record number {@code count}) up to byte {@code size}. */
  private static Scan scan(
      FileChannel ch,
      byte[] magic,
      Path file,
      long count,
      long pos,
      long lastOffset,
      int lastCrc,
      Found found,
      long size)
      throws IOException {
    if (magic != null) {
      ByteBuffer head = ByteBuffer.allocate(HEADER);
      readFully(ch, head, 0);
      if (head.position() != HEADER || !head.flip().equals(ByteBuffer.wrap(magic))) {
        throw new IOException(file + ": wrong magic, not a record file of this kind");
      }
    }
    ByteBuffer rh = ByteBuffer.allocate(8);
    while (pos < size) {
      if (size - pos < 8) {
        return new Scan(count, pos, -1, lastOffset, lastCrc); // torn header
      }
      rh.clear();
      readFully(ch, rh, pos);
      int len = rh.getInt(0);
      int crc = rh.getInt(4);
      if (len <= 0 || len > MAX_RECORD) {
        return new Scan(count, pos, allZero(ch, pos, size) ? -1 : pos, lastOffset, lastCrc);
      }
      if (size - pos - 8 < len) {
        return new Scan(count, pos, -1, lastOffset, lastCrc); // torn payload
      }
      ByteBuffer payload = ByteBuffer.allocate(len);
      readFully(ch, payload, pos + 8);
      CRC32C c = new CRC32C();
      c.update(payload.array());
      if ((int) c.getValue() != crc) {
        boolean last = pos + 8 + len == size;
        return new Scan(count, pos, last ? -1 : pos, lastOffset, lastCrc);
      }
      found.record(count, pos);
      count++;
      lastOffset = pos;
      lastCrc = crc;
      pos += 8 + len;
    }
    return new Scan(count, pos, -1, lastOffset, lastCrc);
  }

  /** Reads and CRC-checks the record at {@code offset} of {@code file}, read-only. */
  public static Bytes readAt(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, file, offset);
    }
  }

  /** Reads and CRC-checks the record at {@code offset}. */
  private static Bytes read(FileChannel ch, Path file, long offset) throws IOException {
    ByteBuffer rh = ByteBuffer.allocate(8);
    readFully(ch, rh, offset);
    int len = rh.getInt(0);
    if (rh.hasRemaining() || len <= 0 || len > MAX_RECORD) {
      throw new IOException(file + ": no record at offset " + offset);
    }
    ByteBuffer payload = ByteBuffer.allocate(len);
    readFully(ch, payload, offset + 8);
    CRC32C c = new CRC32C();
    c.update(payload.array());
    if (payload.hasRemaining() || (int) c.getValue() != rh.getInt(4)) {
      throw new IOException(file + ": record at offset " + offset + " fails its CRC");
    }
    return Bytes.wrap(payload.array());
  }

  /** A crash can leave a zero-filled tail after the last good record; that is torn, not damaged. */
  private static boolean allZero(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    for (long pos = from; pos < size; ) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n <= 0) {
        return true;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      pos += n;
    }
    return true;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        return;
      }
    }
  }

  /**
   * Appends one record and forces it to disk before returning.
   *
   * @return the record's offset, for {@link #read(long)}
   */
  public long append(Bytes payload) throws IOException {
    if (payload.isEmpty() || payload.length() > MAX_RECORD) {
      throw new IllegalArgumentException(
          "record size " + payload.length() + " not in 1.." + MAX_RECORD);
    }
    byte[] p = payload.toByteArray();
    CRC32C c = new CRC32C();
    c.update(p);
    ByteBuffer buf = ByteBuffer.allocate(8 + p.length);
    buf.putInt(p.length).putInt((int) c.getValue()).put(p).flip();
    long start = end;
    long at = start;
    while (buf.hasRemaining()) {
      at += channel.write(buf, at);
    }
    channel.force(false);
    lastOffset = start;
    lastCrc = (int) c.getValue();
    end = at;
    count++;
    return start;
  }

  /** Reads and CRC-checks the record at {@code offset} (as {@link #append} returned it). */
  public Bytes read(long offset) throws IOException {
    return read(channel, file, offset);
  }

  /** The intact records, oldest first, read from the file (for small files and tests). */
  public List<Bytes> records() throws IOException {
    List<Bytes> out = new ArrayList<>();
    scan(channel, null, file, 0, HEADER, -1, 0, (n, o) -> out.add(null), end);
    long pos = HEADER;
    for (int i = 0; i < out.size(); i++) {
      Bytes b = read(pos);
      out.set(i, b);
      pos += 8 + b.length();
    }
    return out;
  }

  public long size() {
    return count;
  }

  /** Where the next record will start. */
  public long end() {
    return end;
  }

  /** The point reached so far, for a derived index to hand back to a later open. */
  public Resume resumePoint() {
    return new Resume(count, end, lastOffset, lastCrc);
  }

  public Recovery recovery() {
    return recovery;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
