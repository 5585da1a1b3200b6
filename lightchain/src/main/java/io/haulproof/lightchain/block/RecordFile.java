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
 * "repaired" in place. Not thread-safe: one writer.
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

  private final FileChannel channel;
  private final Path file;
  private final Path quarantineDir;
  private final List<Bytes> records;
  private final Recovery recovery;
  private long end;

  private RecordFile(
      FileChannel channel,
      Path file,
      Path quarantineDir,
      List<Bytes> records,
      long end,
      Recovery recovery) {
    this.channel = channel;
    this.file = file;
    this.quarantineDir = quarantineDir;
    this.records = records;
    this.end = end;
    this.recovery = recovery;
  }

  /**
   * Opens or creates {@code file} with the given 8-byte {@code magic}; recovers as described on the
   * class.
   *
   * @param quarantineDir where a damaged file is copied before it is cut back
   * @throws IOException if the file cannot be read or has a wrong magic
   */
  public static RecordFile open(Path file, byte[] magic, Path quarantineDir) throws IOException {
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
            new ArrayList<>(),
            HEADER,
            new Recovery(0, 0, -1, Optional.empty()));
      }
      Scan scan = scan(ch, magic, file);
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
          scan.records,
          scan.end,
          new Recovery(scan.records.size(), torn, scan.damageOffset, quarantined));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
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
   * (suffix {@code why}), then cuts the file back and forces it. For records that turned out not to
   * belong (see {@code Lightchain.open}).
   *
   * @return the quarantined copy
   */
  public Path cutBackTo(int keep, String why) throws IOException {
    if (keep < 0 || keep > records.size()) {
      throw new IllegalArgumentException("keep " + keep + " not in 0.." + records.size());
    }
    Path copy = copyToQuarantine(file, quarantineDir, why);
    long at = HEADER;
    for (int i = 0; i < keep; i++) {
      at += 8 + records.get(i).length();
    }
    channel.truncate(at);
    channel.force(true);
    end = at;
    records.subList(keep, records.size()).clear();
    return copy;
  }

  /**
   * Reads every intact record of {@code file} without changing it; throws on any damage, torn tail
   * included.
   */
  public static List<Bytes> readStrict(Path file, byte[] magic) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Scan scan = scan(ch, magic, file);
      if (scan.damageOffset >= 0) {
        throw new IOException(file + ": damaged record at offset " + scan.damageOffset);
      }
      if (scan.end != ch.size()) {
        throw new IOException(
            file + ": torn record at offset " + scan.end + ", file size " + ch.size());
      }
      return scan.records;
    }
  }

  private record Scan(List<Bytes> records, long end, long damageOffset) {}

  private static Scan scan(FileChannel ch, byte[] magic, Path file) throws IOException {
    long size = ch.size();
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    readFully(ch, head, 0);
    if (head.position() != HEADER || !head.flip().equals(ByteBuffer.wrap(magic))) {
      throw new IOException(file + ": wrong magic, not a record file of this kind");
    }
    List<Bytes> records = new ArrayList<>();
    long pos = HEADER;
    ByteBuffer rh = ByteBuffer.allocate(8);
    while (pos < size) {
      if (size - pos < 8) {
        return new Scan(records, pos, -1); // torn header
      }
      rh.clear();
      readFully(ch, rh, pos);
      int len = rh.getInt(0);
      int crc = rh.getInt(4);
      if (len <= 0 || len > MAX_RECORD) {
        return new Scan(records, pos, allZero(ch, pos, size) ? -1 : pos);
      }
      if (size - pos - 8 < len) {
        return new Scan(records, pos, -1); // torn payload
      }
      ByteBuffer payload = ByteBuffer.allocate(len);
      readFully(ch, payload, pos + 8);
      CRC32C c = new CRC32C();
      c.update(payload.array());
      if ((int) c.getValue() != crc) {
        boolean last = pos + 8 + len == size;
        return new Scan(records, pos, last ? -1 : pos);
      }
      records.add(Bytes.wrap(payload.array()));
      pos += 8 + len;
    }
    return new Scan(records, pos, -1);
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

  /** Appends one record and forces it to disk before returning. */
  public void append(Bytes payload) throws IOException {
    if (payload.isEmpty() || payload.length() > MAX_RECORD) {
      throw new IllegalArgumentException(
          "record size " + payload.length() + " not in 1.." + MAX_RECORD);
    }
    byte[] p = payload.toByteArray();
    CRC32C c = new CRC32C();
    c.update(p);
    ByteBuffer buf = ByteBuffer.allocate(8 + p.length);
    buf.putInt(p.length).putInt((int) c.getValue()).put(p).flip();
    long at = end;
    while (buf.hasRemaining()) {
      at += channel.write(buf, at);
    }
    channel.force(false);
    end = at;
    records.add(payload);
  }

  /** The intact records, oldest first. */
  public List<Bytes> records() {
    return List.copyOf(records);
  }

  public int size() {
    return records.size();
  }

  public Recovery recovery() {
    return recovery;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
