package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.index.DerivedStateStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The append-only record store under the evidence log: segment files {@code
 * log/NNNNNNNNNNNNNNNNNNNN.seg} of length-prefixed, CRC32C-checked frames ({@link Frames}), written
 * by one thread with group commit.
 *
 * <h2>Durability</h2>
 *
 * A single writer thread takes every queued append, writes the group, calls {@code
 * FileChannel.force(false)} once, and only then completes the callers' futures and calls the commit
 * listeners. {@link #size()} and every read see committed records only. If a write or force fails
 * the log refuses further appends (after a failed fsync the page cache state is unknown), and the
 * next open recovers.
 *
 * <h2>Recovery rules (at open; every segment is scanned and every frame's CRC checked, except
 * closed segments whose checked tail a derived index vouches for, see {@link SegmentTails})</h2>
 *
 * <ol>
 *   <li>Frames must follow each other with consecutive indices. The first frame that fails (bad
 *       length, CRC mismatch, wrong index) starts an invalid stretch; the scanner looks for the
 *       next valid frame with an index not below the expected one (frames carry their index, so
 *       this resynchronises exactly).
 *   <li><b>Torn tail</b>: only in the newest segment, and only when no valid frame follows and the
 *       bytes are what an interrupted write or power cut leaves (a frame cut short at end of file,
 *       fewer than 16 bytes, or zeros to the end). Such a frame was never acknowledged (its force
 *       never returned), so the file is truncated there.
 *   <li><b>Damage</b>: every other invalid stretch: a bad frame followed by valid ones, a bad frame
 *       in an older segment, a complete frame with a wrong CRC at the end, a bad segment header,
 *       records missing between segments. Damage is never dropped or repaired: the segment stays
 *       untouched, a copy goes to {@code quarantine/} (timestamped), a {@link LossReport} names the
 *       lost indices, a warning is logged and {@link #lossCount()} counts it. The readable records
 *       before and after the damage keep their indices; the lost indices read as {@link
 *       LostRecordException}. If the newest segment is damaged, appends continue in a new segment.
 *       Damage at the very end of the log loses an unknown number of records; indices continue
 *       after the last readable one.
 *   <li>Reported damage is remembered in {@code log/known-damage} once the owner calls {@link
 *       #acknowledgeLoss} (after it has durably logged a signed {@code loss} entry), so each damage
 *       is reported once; a crash in between reports it again, which duplicates a statement but
 *       never loses one.
 * </ol>
 *
 * Files are created 0600 and directories 0700.
 */
public final class SegmentedLog implements Closeable {
  static final String KNOWN_DAMAGE = "known-damage";

  /** Called on the writer thread after a group is durable and before its futures complete. */
  interface BatchHook {
    void committed(long firstIndex, List<GroupWriter.Pending> group);
  }

  final Path dir;
  final LogOptions options;
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** All segments in index order; guarded by {@link #lock}. */
  final List<Segment> segments = new ArrayList<>();

  /** Lost index ranges, from to (exclusive); guarded by {@link #lock}. */
  final NavigableMap<Long, Long> lost = new TreeMap<>();

  final List<LossReport> losses = new ArrayList<>();
  final Set<String> known;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private final int lossCount;
  private final long tornBytes;
  private final int trustedSegments;
  private volatile long size;
  private volatile BatchHook hook;
  private final GroupWriter writer;

  private SegmentedLog(Path dataDir, LogOptions options, long minNextIndex, SegmentTails tails)
      throws IOException {
    this(dataDir, options, minNextIndex, tails, false);
  }

  private SegmentedLog(
      Path dataDir, LogOptions options, long minNextIndex, SegmentTails tails, boolean readOnly)
      throws IOException {
    this.dir =
        readOnly
            ? requireDirectory(dataDir.resolve("log"))
            : DurableFiles.createPrivateDirectories(dataDir.resolve("log"));
    this.options = options;
    this.known = readKnown(dir.resolve(KNOWN_DAMAGE));
    Recovery r = new Recovery(this, dataDir.resolve("quarantine"), tails, readOnly);
    this.trustedSegments = tails == null ? 0 : tails.trusted();
    if (readOnly) {
      this.lossCount = r.regions;
      this.tornBytes = r.torn;
      this.size = r.expected;
      this.writer = null;
      return;
    }
    Segment active = r.active;
    long next = r.expected;
    int regions = r.regions;
    if (minNextIndex > next) {
      // Committed indices vanished from the end (the Merkle tree holds them): continue after them,
      // in a new segment,
      // so no index is ever given twice. The next open sees this as records missing before that
      // segment.
      active = newSegment(minNextIndex);
      lost.put(next, minNextIndex);
      losses.add(
          new LossReport(
              active.name(),
              0,
              0,
              next,
              minNextIndex - next,
              true,
              null,
              "records missing before segment"));
      regions++;
      next = minNextIndex;
    }
    this.lossCount = regions;
    this.tornBytes = r.torn;
    this.size = next;
    this.writer = new GroupWriter(this, active, next);
  }

  private static Path requireDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir + ": no evidence log here");
    }
    return dir;
  }

  /**
   * Opens the log under {@code dataDir/log} for reading only, as a verifier must: the same scan and
   * findings as {@link #open(Path, LogOptions)} (damage becomes lost ranges, a torn tail is not
   * read), but nothing is written, cut, deleted, created or copied to quarantine, so it works on a
   * read-only or full disk and leaves the evidence exactly as found. {@link #append} throws.
   */
  public static SegmentedLog openReadOnly(Path dataDir) throws IOException {
    return new SegmentedLog(dataDir, LogOptions.defaults(), 0, null, true);
  }

  /**
   * Opens or creates the log under {@code dataDir/log}, recovering as the class comment describes.
   */
  public static SegmentedLog open(Path dataDir, LogOptions options) throws IOException {
    return new SegmentedLog(dataDir, options, 0, null);
  }

  /**
   * Opens the log like {@link #open(Path, LogOptions)}, and if it ends before {@code minNextIndex}
   * (committed records vanished from its end, as a Merkle tree head shows), marks the missing
   * indices lost and reports them, so that the next record gets {@code minNextIndex}.
   */
  public static SegmentedLog open(Path dataDir, LogOptions options, long minNextIndex)
      throws IOException {
    return new SegmentedLog(dataDir, options, minNextIndex, null);
  }

  /**
   * As {@link #open(Path, LogOptions, long)}, taking closed segments whose tails {@code tails}
   * remembers (and that still match them) without scanning them, and remembering the tails of
   * segments it scans. Damage inside a segment taken this way is found when it is read (a CRC
   * failure) and by {@code chain verify}, not at open.
   */
  public static SegmentedLog open(
      Path dataDir, LogOptions options, long minNextIndex, DerivedStateStore tails)
      throws IOException {
    return new SegmentedLog(dataDir, options, minNextIndex, new SegmentTails(tails));
  }

  /** How many closed segments this open took from the tail index without scanning them. */
  public int trustedSegments() {
    return trustedSegments;
  }

  /**
   * Segment files in index order; a name is the first index, with an optional {@code .N} for a
   * restart.
   */
  static List<Path> listSegments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg"))
          .sorted(
              Comparator.comparingLong((Path p) -> segmentKey(p)[0])
                  .thenComparingLong(p -> segmentKey(p)[1]))
          .collect(Collectors.toList());
    }
  }

  private static long[] segmentKey(Path p) {
    String n = p.getFileName().toString();
    String[] parts = n.substring(0, n.length() - 4).split("\\.");
    try {
      return new long[] {Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0};
    } catch (NumberFormatException e) {
      return new long[] {Long.MAX_VALUE, Long.MAX_VALUE};
    }
  }

  /**
   * Creates a segment whose first record will be {@code firstIndex}: header written, file and
   * directory synced.
   */
  Segment newSegment(long firstIndex) throws IOException {
    String base = String.format("%020d", firstIndex);
    Path p = dir.resolve(base + ".seg");
    for (int n = 1; Files.exists(p); n++) {
      p = dir.resolve(base + "." + n + ".seg");
    }
    try (var ch =
        java.nio.channels.FileChannel.open(
            p,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      FileModes.ownerOnly(p);
      var h = Frames.header(firstIndex);
      while (h.hasRemaining()) {
        ch.write(h);
      }
      ch.force(true);
    }
    DurableFiles.syncDirectory(dir);
    Segment seg = new Segment(p);
    seg.end = Frames.HEADER_SIZE;
    lock.writeLock().lock();
    try {
      segments.add(seg);
    } finally {
      lock.writeLock().unlock();
    }
    return seg;
  }

  private static Set<String> readKnown(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new HashSet<>();
    }
    return new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** Damage found at this open and not yet acknowledged, oldest first. */
  public List<LossReport> losses() {
    synchronized (losses) {
      return List.copyOf(losses);
    }
  }

  /**
   * Remembers durably that {@code report} has been dealt with (its {@code loss} entry is durable).
   */
  public void acknowledgeLoss(LossReport report) throws IOException {
    synchronized (losses) {
      known.add(report.key());
      losses.remove(report);
      DurableFiles.write(
          dir.resolve(KNOWN_DAMAGE),
          (String.join("\n", known) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** How many damaged stretches the open found, reported or not: a metric for the operator. */
  public int lossCount() {
    return lossCount;
  }

  /** Bytes of torn tail cut off at open. */
  public long tornBytes() {
    return tornBytes;
  }

  /**
   * The number of committed (durable) indices, lost ones included: the next record gets this index.
   */
  public long size() {
    return size;
  }

  /** True if {@code index} was lost to damage. */
  public boolean isLost(long index) {
    lock.readLock().lock();
    try {
      Map.Entry<Long, Long> e = lost.floorEntry(index);
      return e != null && index < e.getValue();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The lost index ranges as {from, to-exclusive} pairs. */
  public List<long[]> lostRanges() {
    lock.readLock().lock();
    try {
      List<long[]> out = new ArrayList<>();
      lost.forEach((k, v) -> out.add(new long[] {k, v}));
      return Collections.unmodifiableList(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Queues {@code payload}; the future completes with its index once it is durable. */
  public CompletableFuture<Long> append(Bytes payload) {
    return writer().submit(payload, null);
  }

  CompletableFuture<Long> append(Bytes payload, Object tag) {
    return writer().submit(payload, tag);
  }

  private GroupWriter writer() {
    if (writer == null) {
      throw new IllegalStateException("evidence log " + dir + " is open read-only");
    }
    return writer;
  }

  void setBatchHook(BatchHook h) {
    this.hook = h;
  }

  /**
   * Listeners run on the writer thread after each group commit with the new {@link #size()}, before
   * the group's futures complete; keep them short.
   */
  public void addCommitListener(LongConsumer listener) {
    listeners.add(listener);
  }

  /** Called by the writer after force returned. */
  void committed(long firstIndex, List<GroupWriter.Pending> group, long newSize) {
    BatchHook h = hook;
    if (h != null) {
      h.committed(firstIndex, group);
    }
    size = newSize;
    for (LongConsumer l : listeners) {
      l.accept(newSize);
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(firstIndex + i);
    }
  }

  /**
   * Reads the committed record at {@code index}.
   *
   * @throws LostRecordException if the record was lost to damage or fails its CRC now
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
   */
  public Bytes read(long index) throws IOException {
    long[] at = new long[2];
    Segment seg = locate(index, at);
    return seg.payload(at[1], index);
  }

  /**
   * Finds the segment and byte offset of frame {@code index}; {@code at} receives {index, offset}.
   */
  Segment locate(long index, long[] at) throws IOException {
    long committed = size;
    if (index < 0 || index >= committed) {
      throw new IndexOutOfBoundsException(
          "index " + index + " out of range [0, " + committed + ")");
    }
    Segment seg = null;
    long[] point;
    lock.readLock().lock();
    try {
      Map.Entry<Long, Long> e = lost.floorEntry(index);
      if (e != null && index < e.getValue()) {
        throw new LostRecordException(
            "record "
                + index
                + " was lost to damage (indices "
                + e.getKey()
                + ".."
                + (e.getValue() - 1)
                + ")");
      }
      for (int i = segments.size() - 1; i >= 0; i--) {
        long f = segments.get(i).firstIndex();
        if (f >= 0 && f <= index) {
          seg = segments.get(i);
          break;
        }
      }
      if (seg == null) {
        throw new LostRecordException("record " + index + " is in no segment");
      }
      point = seg.floor(index);
    } finally {
      lock.readLock().unlock();
    }
    long idx = point[0];
    long offset = point[1];
    while (idx < index) {
      long[] h = seg.header(offset);
      if (h[1] != idx || h[0] < 1 || h[0] > Frames.MAX_PAYLOAD) {
        throw new LostRecordException(
            "record " + idx + " in " + seg.name() + " at " + offset + " is damaged");
      }
      offset += Frames.FRAME_OVERHEAD + h[0];
      idx++;
    }
    at[0] = index;
    at[1] = offset;
    return seg;
  }

  /** A forward reader over committed records from {@code fromIndex}, skipping lost indices. */
  public LogCursor cursor(long fromIndex) {
    return new LogCursor(this, fromIndex);
  }

  long nextReadable(long index) {
    lock.readLock().lock();
    try {
      Map.Entry<Long, Long> e = lost.floorEntry(index);
      return e != null && index < e.getValue() ? e.getValue() : index;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for queued appends to commit, stops the writer and closes the files. */
  @Override
  public void close() throws IOException {
    try {
      if (writer != null) {
        writer.close();
      }
    } finally {
      lock.writeLock().lock();
      try {
        for (Segment s : segments) {
          s.close();
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }
}
