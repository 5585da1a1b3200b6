package io.haulproof.lightchain.index.mapdb;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.index.DerivedStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * A {@link DerivedStateStore} in a MapDB 3.1.0 file with transactions (write-ahead log).
 *
 * <p>MapDB was measured here to be left unusable in 4 of 84 {@code kill -9} runs even with {@code
 * transactionEnable()}, so this store trusts nothing: if opening fails in any way, or the format
 * marker is missing, every file of the store is moved to {@code quarantine/} (timestamped) and an
 * empty store is created, with {@link #rebuilt()} true so the owner replays the log.
 */
public final class MapDbStateStore implements DerivedStateStore {
  private static final System.Logger LOG = System.getLogger(MapDbStateStore.class.getName());
  private static final String MARKER_KEY = "\u0000format";
  private static final int CLEAR_BATCH = 4_096;
  private static final Bytes MARKER = Bytes.of((byte) 'h', (byte) 'p', (byte) 1);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final DB db;
  private final HTreeMap<String, byte[]> map;
  private final boolean rebuilt;

  private MapDbStateStore(DB db, HTreeMap<String, byte[]> map, boolean rebuilt) {
    this.db = db;
    this.map = map;
    this.rebuilt = rebuilt;
  }

  /**
   * Opens {@code file}, or quarantines it into {@code quarantineDir} and starts empty if it is
   * unusable.
   */
  public static MapDbStateStore open(Path file, Path quarantineDir) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(
          parent,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    boolean existed = Files.exists(file);
    try {
      MapDbStateStore s = tryOpen(file, !existed);
      if (!existed || s.map.containsKey(MARKER_KEY)) {
        return s;
      }
      s.close();
      LOG.log(System.Logger.Level.WARNING, "derived state " + file + " lacks its format marker");
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "derived state " + file + " unusable (" + e + "); rebuilding from the log");
    }
    quarantine(file, quarantineDir);
    MapDbStateStore fresh = tryOpen(file, true);
    return new MapDbStateStore(fresh.db, fresh.map, true);
  }

  private static MapDbStateStore tryOpen(Path file, boolean create) {
    DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make();
    try {
      HTreeMap<String, byte[]> map =
          db.hashMap("derived", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
      if (create) {
        map.put(MARKER_KEY, MARKER.toByteArray());
        db.commit();
      }
      ownerOnly(file);
      return new MapDbStateStore(db, map, false);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot restrict permissions of " + file + ": " + e);
    }
  }

  /** Moves the store file and its write-ahead logs aside. */
  private static void quarantine(Path file, Path quarantineDir) throws IOException {
    if (!Files.isDirectory(quarantineDir)) {
      Files.createDirectories(quarantineDir);
      Files.setPosixFilePermissions(quarantineDir, PosixFilePermissions.fromString("rwx------"));
    }
    String name = file.getFileName().toString();
    String stamp = STAMP.format(Instant.now());
    List<Path> parts;
    try (Stream<Path> s = Files.list(file.toAbsolutePath().getParent())) {
      parts =
          s.filter(p -> p.getFileName().toString().startsWith(name)).collect(Collectors.toList());
    }
    for (Path p : parts) {
      Files.move(
          p, quarantineDir.resolve(p.getFileName() + "." + stamp), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  @Override
  public Optional<Bytes> get(String key) {
    return Optional.ofNullable(map.get(key)).map(Bytes::wrap);
  }

  @Override
  public void putAll(Map<String, Bytes> values) {
    for (Map.Entry<String, Bytes> e : values.entrySet()) {
      map.put(e.getKey(), e.getValue().toByteArray());
    }
  }

  @Override
  public void remove(String key) {
    map.remove(key);
  }

  /**
   * Removes everything in one pass over the keys, committing every {@value #CLEAR_BATCH} removals:
   * MapDB holds a transaction's changes in memory, and clearing a large store in one transaction (a
   * bin index of a year of lifts) ran out of a 64 MB heap; restarting the iteration after each
   * commit walked the emptied tree again each time.
   */
  @Override
  public void clear() {
    int removed = 0;
    for (Iterator<String> it = map.keySet().iterator(); it.hasNext(); ) {
      String k = it.next();
      if (!MARKER_KEY.equals(k)) {
        map.remove(k);
        if (++removed % CLEAR_BATCH == 0) {
          db.commit();
        }
      }
    }
    map.put(MARKER_KEY, MARKER.toByteArray());
  }

  @Override
  public void commit() {
    db.commit();
  }

  @Override
  public boolean rebuilt() {
    return rebuilt;
  }

  @Override
  public void close() {
    db.close();
  }
}
