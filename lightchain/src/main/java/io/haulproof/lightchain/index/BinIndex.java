package io.haulproof.lightchain.index;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ContainerRead;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.index.mapdb.MapDbStateStore;
import io.haulproof.lightchain.log.LogCursor;
import io.haulproof.lightchain.log.LogRecord;
import io.haulproof.lightchain.log.SegmentedLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A derived index from a bin's tag ({@link ContainerRead#rawId()}) to the log indices of its
 * collection entries, for local look-ups on the truck (technicians, crews, disputes).
 *
 * <p>Never trusted as evidence: it only says where to look. Every hit is read again from the log
 * and must be a readable collection entry of that very tag; anything else (a lost or unreadable
 * entry, another kind, another tag, a hit past the indexed part of the log, a stored value that
 * fails its CRC) means the index is stale or damaged, and it is rebuilt from the log from scratch
 * and the look-up answered again. The index is also rebuilt when its store was found unusable and
 * set aside ({@link DerivedStateStore#rebuilt()}), or when its "applied up to" marker names more
 * entries than the log has, or its last indexed entry is no longer the one it remembered (SHA-256
 * of the entry). {@link #rebuilds()} counts them.
 *
 * <p>It stays out of the append path: each look-up first catches up with the entries appended since
 * the last one (committing every {@value #BATCH} entries). One look-up at a time; the log may be
 * appended to meanwhile.
 */
public final class BinIndex implements Closeable {
  private static final System.Logger LOG = System.getLogger(BinIndex.class.getName());
  private static final String APPLIED = "bins.applied";
  private static final byte FORMAT = 1;

  /**
   * Entries per catch-up commit: each batch rewrites the stored value of every bin it touches once,
   * so larger batches write far less on a route that revisits its bins; the batch's indices are
   * held in memory (a few MB).
   */
  static final int BATCH = 65_536;

  /**
   * At most this many distinct bins per commit: MapDB keeps a transaction's changes in memory until
   * the commit, and a route of bins never seen again (one key per lift) would otherwise put 130,000
   * values in one transaction (which ran out of a 64 MB heap on a year of history).
   */
  static final int MAX_BINS_PER_COMMIT = 4_096;

  /** One lift of the bin: its log index and the decoded (unverified) entry. */
  public record Lift(long index, Entry entry) {
    public CollectionBody body() {
      return (CollectionBody) entry.body();
    }
  }

  private final DerivedStateStore store;
  private final SegmentedLog log;
  private final boolean ownsStore;
  private final int batch;
  private Marker marker;
  private long rebuilds;
  private String lastRebuild = "";
  private long lastCatchUp;

  /** How far the index has applied the log: {@code next} entries, the last indexed one's hash. */
  private record Marker(long next, long lastIndexed, Bytes lastHash) {
    static final Marker EMPTY = new Marker(0, -1, Bytes.EMPTY);
  }

  private BinIndex(DerivedStateStore store, SegmentedLog log, boolean ownsStore, int batch) {
    this.store = store;
    this.log = log;
    this.ownsStore = ownsStore;
    this.batch = batch;
  }

  /**
   * The index over {@code log} in {@code dataDir}'s {@code index/bins.mapdb}; it closes that store.
   */
  public static BinIndex open(Path dataDir, SegmentedLog log) throws IOException {
    MapDbStateStore s =
        MapDbStateStore.open(DataDirLayout.binIndex(dataDir), DataDirLayout.quarantine(dataDir));
    try {
      return over(s, log, true, BATCH);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The index over {@code log} kept in {@code store} (which the caller closes). */
  public static BinIndex of(DerivedStateStore store, SegmentedLog log) throws IOException {
    return over(store, log, false, BATCH);
  }

  /** As {@link #of}, committing every {@code batch} entries (tests). */
  static BinIndex of(DerivedStateStore store, SegmentedLog log, int batch) throws IOException {
    return over(store, log, false, batch);
  }

  private static BinIndex over(DerivedStateStore store, SegmentedLog log, boolean owns, int batch)
      throws IOException {
    BinIndex b = new BinIndex(store, log, owns, batch);
    if (store.rebuilt()) {
      b.rebuild("its store was unusable and set aside");
    } else {
      b.marker = b.loadMarker();
    }
    return b;
  }

  /**
   * The lifts of bin {@code tag} in log order, each read from the log and checked to be a
   * collection entry of that tag; empty for a bin never lifted.
   *
   * @throws IOException if the log cannot be read while catching up (e.g. damage found since open)
   */
  public synchronized List<Lift> lifts(Bytes tag) throws IOException {
    catchUp();
    Optional<List<Lift>> found = tryLifts(tag);
    if (found.isPresent()) {
      return found.get();
    }
    catchUp();
    return tryLifts(tag)
        .orElseThrow(() -> new IOException("bin index still inconsistent after a rebuild"));
  }

  /** How many times the index was rebuilt from scratch since this object was made. */
  public synchronized long rebuilds() {
    return rebuilds;
  }

  /** Why the index was last rebuilt, or empty. */
  public synchronized String lastRebuildReason() {
    return lastRebuild;
  }

  /** How many log entries the last catch-up read. */
  public synchronized long lastCatchUp() {
    return lastCatchUp;
  }

  /** How many log entries the index has applied. */
  public synchronized long applied() {
    return marker.next;
  }

  /** The lifts, or empty (after a rebuild) if a hit did not hold. */
  private Optional<List<Lift>> tryLifts(Bytes tag) throws IOException {
    List<Long> hits;
    try {
      hits = BinPostings.read(store, tag);
    } catch (BinPostings.Damaged e) {
      rebuild("damaged: " + e.getMessage());
      return Optional.empty();
    }
    List<Lift> out = new ArrayList<>(hits.size());
    for (long i : hits) {
      Entry e = i < marker.next ? entryAt(i) : null;
      if (e == null || !tag.equals(tagOf(e).orElse(null))) {
        rebuild("stale: entry " + i + " is not a collection of bin " + tag.toHex());
        return Optional.empty();
      }
      out.add(new Lift(i, e));
    }
    return Optional.of(out);
  }

  /** Entry {@code i} decoded, or null if it is lost, unreadable or does not decode. */
  private Entry entryAt(long i) {
    try {
      return decode(log.read(i));
    } catch (IOException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static Entry decode(Bytes cose) {
    try {
      return EntryCodec.decode(CoseSign1.decode(cose));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Optional<Bytes> tagOf(Entry e) {
    return e != null && e.body() instanceof CollectionBody c
        ? c.container().map(ContainerRead::rawId)
        : Optional.empty();
  }

  private void rebuild(String why) throws IOException {
    rebuilds++;
    lastRebuild = why;
    LOG.log(System.Logger.Level.WARNING, "bin index rebuilt from the log: " + why);
    store.remove(APPLIED);
    store.commit();
    store.clear();
    marker = Marker.EMPTY;
    saveMarker(new HashMap<>());
    store.commit();
  }

  /**
   * Indexes the entries appended since the marker, committing every {@code batch} entries or {@link
   * #MAX_BINS_PER_COMMIT} distinct bins, whichever comes first.
   */
  private void catchUp() throws IOException {
    long end = log.size();
    lastCatchUp = 0;
    if (marker.next > end) {
      rebuild("its marker (" + marker.next + " entries) is ahead of the log (" + end + ")");
    } else if (marker.lastIndexed >= 0 && !marker.lastHash.equals(hashAt(marker.lastIndexed))) {
      rebuild("its last indexed entry " + marker.lastIndexed + " is no longer in the log");
    }
    LogCursor cursor = log.cursor(marker.next);
    while (marker.next < end) {
      Map<Bytes, List<Long>> touched = new LinkedHashMap<>();
      long lastIndexed = marker.lastIndexed;
      Bytes lastHash = marker.lastHash;
      long reached = marker.next;
      for (int n = 0; n < batch; n++) {
        LogRecord r = cursor.next();
        if (r == null || r.index() >= end) {
          reached = end;
          break;
        }
        lastCatchUp++;
        reached = r.index() + 1;
        Optional<Bytes> tag = tagOf(decode(r.payload()));
        if (tag.isPresent()) {
          touched.computeIfAbsent(tag.get(), t -> new ArrayList<>()).add(r.index());
          lastIndexed = r.index();
          lastHash = sha256(r.payload());
          if (touched.size() >= MAX_BINS_PER_COMMIT) {
            break;
          }
        }
      }
      Map<String, Bytes> changes = new HashMap<>();
      try {
        for (Map.Entry<Bytes, List<Long>> b : touched.entrySet()) {
          BinPostings.append(store, b.getKey(), b.getValue(), changes);
        }
      } catch (BinPostings.Damaged e) {
        rebuild("damaged: " + e.getMessage());
        cursor = log.cursor(0);
        continue;
      }
      marker = new Marker(reached, lastIndexed, lastHash);
      saveMarker(changes);
      store.commit();
    }
  }

  /** The SHA-256 of entry {@code i}'s bytes, or empty if it cannot be read now. */
  private Bytes hashAt(long i) {
    try {
      return i < log.size() ? sha256(log.read(i)) : Bytes.EMPTY;
    } catch (IOException e) {
      return Bytes.EMPTY;
    }
  }

  private Marker loadMarker() throws IOException {
    Bytes v = store.get(APPLIED).orElse(null);
    if (v == null) {
      // a new store, or one that lost its marker: (re)build from the first entry
      store.clear();
      return Marker.EMPTY;
    }
    ByteBuffer b = ByteBuffer.wrap(v.toByteArray());
    if (v.length() < 17 || b.get() != FORMAT) {
      rebuild("its marker does not decode");
      return marker;
    }
    long next = b.getLong();
    long last = b.getLong();
    byte[] hash = new byte[b.remaining()];
    b.get(hash);
    if (next < 0 || last >= next || (last >= 0) != (hash.length == 32)) {
      rebuild("its marker does not decode");
      return marker;
    }
    return new Marker(next, last, Bytes.wrap(hash));
  }

  private void saveMarker(Map<String, Bytes> changes) {
    ByteBuffer b = ByteBuffer.allocate(17 + marker.lastHash.length());
    b.put(FORMAT)
        .putLong(marker.next)
        .putLong(marker.lastIndexed)
        .put(marker.lastHash.toByteArray());
    changes.put(APPLIED, Bytes.wrap(b.array()));
    store.putAll(changes);
  }

  private static Bytes sha256(Bytes b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      b.updateDigest(d);
      return Bytes.wrap(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (ownsStore) {
      store.close();
    }
  }
}
