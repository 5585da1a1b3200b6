package io.haulproof.lightchain.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.index.mapdb.MapDbStateStore;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LogCursor;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.log.LogRecord;
import io.haulproof.lightchain.testing.TestEntries;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The derived bin → entry index: answers equal a full scan of the log, whatever happened to the
 * MapDB file (missing, garbled, truncated, stale, ahead of the log).
 */
class BinIndexTest {
  private static final SoftwareDeviceKey KEY =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom(new byte[] {3}));
  private static final LogOptions OPTS = LogOptions.defaults().withSegmentBytes(64 * 1024);

  @TempDir Path data;

  static Bytes tag(int n) {
    return Bytes.fromHex(String.format("8000e1a5%08x", n));
  }

  static CollectionBody lift(Bytes tag) {
    return SampleEntries.collection(tag);
  }

  private EvidenceLog open(Path dir) throws Exception {
    return EvidenceLog.open(dir, KEY, "truck-0042", OPTS);
  }

  private static void append(EvidenceLog log, List<EntryBody> bodies) throws Exception {
    List<CompletableFuture<Appended>> fs = new ArrayList<>();
    for (EntryBody b : bodies) {
      fs.add(log.append(b));
    }
    for (CompletableFuture<Appended> f : fs) {
      f.get();
    }
  }

  /** Lifts of bins 0..bins-1 round-robin, with a config entry and a tagless lift among them. */
  private static List<EntryBody> route(int lifts, int bins) {
    List<EntryBody> out = new ArrayList<>();
    for (int i = 0; i < lifts; i++) {
      out.add(lift(tag(i % bins)));
      if (i % 7 == 3) {
        out.add(TestEntries.config(i + 1));
      }
      if (i % 11 == 5) {
        out.add(SampleEntries.unidentifiedCollection());
      }
    }
    return out;
  }

  /** The truth: tag → indices, by decoding every readable entry of the log. */
  static Map<Bytes, List<Long>> scan(EvidenceLog log) throws Exception {
    Map<Bytes, List<Long>> out = new HashMap<>();
    LogCursor c = log.cursor(0);
    for (LogRecord r = c.next(); r != null; r = c.next()) {
      if (EntryCodec.decode(CoseSign1.decode(r.payload())).body() instanceof CollectionBody b
          && b.container().isPresent()) {
        out.computeIfAbsent(b.container().get().rawId(), t -> new ArrayList<>()).add(r.index());
      }
    }
    return out;
  }

  static List<Long> indices(List<BinIndex.Lift> lifts) {
    return lifts.stream().map(BinIndex.Lift::index).toList();
  }

  private static void assertMatchesScan(BinIndex idx, EvidenceLog log, int bins) throws Exception {
    Map<Bytes, List<Long>> truth = scan(log);
    for (int b = 0; b < bins + 2; b++) {
      List<BinIndex.Lift> got = idx.lifts(tag(b));
      assertThat(indices(got)).as("bin %d", b).isEqualTo(truth.getOrDefault(tag(b), List.of()));
      for (BinIndex.Lift l : got) {
        assertThat(l.body().container().orElseThrow().rawId()).isEqualTo(tag(b));
      }
    }
  }

  private Path mapdb() {
    return DataDirLayout.binIndex(data);
  }

  @Test
  void lifts_severalBins_eachBinGetsExactlyItsCollections() throws Exception {
    try (EvidenceLog log = open(data)) {
      append(log, route(60, 4));
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertThat(indices(idx.lifts(tag(1)))).hasSize(15);
        assertMatchesScan(idx, log, 4);
        assertThat(idx.lifts(tag(99))).isEmpty();
        assertThat(idx.rebuilds()).isZero();
        assertThat(idx.applied()).isEqualTo(log.size());
      }
    }
  }

  @Test
  void lifts_entriesAppendedAfterAQuery_caughtUpAtTheNextQuery() throws Exception {
    try (EvidenceLog log = open(data);
        BinIndex idx = BinIndex.open(data, log.records())) {
      append(log, route(10, 2));
      assertThat(idx.lifts(tag(0))).hasSize(5);
      append(log, route(10, 2));
      assertThat(idx.lifts(tag(0))).hasSize(10);
      assertThat(idx.lastCatchUp()).isEqualTo(route(10, 2).size());
      assertMatchesScan(idx, log, 2);
    }
  }

  @Test
  void open_afterCleanClose_noRebuildAndNothingReread() throws Exception {
    try (EvidenceLog log = open(data)) {
      append(log, route(300, 3));
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, 3);
      }
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, 3);
        assertThat(idx.rebuilds()).isZero();
        assertThat(idx.lastCatchUp()).isZero();
      }
    }
  }

  @Test
  void open_mapdbFileDeleted_rebuiltWithTheSameAnswers() throws Exception {
    try (EvidenceLog log = open(data)) {
      append(log, route(80, 5));
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, 5);
      }
      try (Stream<Path> s = Files.list(mapdb().getParent())) {
        for (Path p : s.filter(p -> p.getFileName().toString().startsWith("bins.")).toList()) {
          Files.delete(p);
        }
      }
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, 5);
        assertThat(idx.applied()).isEqualTo(log.size());
      }
    }
  }

  @Test
  void open_mapdbFileTruncated_setAsideRebuiltAndRight() throws Exception {
    try (EvidenceLog log = open(data)) {
      append(log, route(200, 6));
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, 6);
      }
      try (RandomAccessFile f = new RandomAccessFile(mapdb().toFile(), "rw")) {
        f.setLength(f.length() / 2);
      }
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, 6);
        assertThat(idx.rebuilds()).isEqualTo(1);
        assertThat(idx.lastRebuildReason()).contains("unusable");
      }
      try (Stream<Path> q = Files.list(DataDirLayout.quarantine(data))) {
        assertThat(q.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("bins."));
      }
    }
  }

  /**
   * MapDB files left garbled (as after the 4 of 84 kill -9 runs that broke it): whether MapDB
   * refuses the file or opens it, every answer still equals a scan of the log.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void lifts_mapdbFileGarbled_answersStillEqualAScan(long seed) throws Exception {
    Random rnd = new Random(seed);
    int bins = 12;
    try (EvidenceLog log = open(data)) {
      append(log, route(400, bins));
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, bins);
      }
      garble(mapdb(), rnd);
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertMatchesScan(idx, log, bins);
      }
    }
  }

  /**
   * Flips bytes at 1..16 random places among the file's non-zero bytes (the file is mostly
   * preallocated zeros; garbling those would test nothing).
   */
  private static void garble(Path file, Random rnd) throws Exception {
    byte[] b = Files.readAllBytes(file);
    List<Integer> used = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] != 0) {
        used.add(i);
      }
    }
    int n = 1 + rnd.nextInt(16);
    for (int k = 0; k < n; k++) {
      int at = used.get(rnd.nextInt(used.size()));
      b[at] ^= (byte) (1 + rnd.nextInt(255));
    }
    Files.write(file, b);
  }

  @Test
  void lifts_markerAheadOfTheLog_rebuilt() throws Exception {
    Path other = data.resolve("longer");
    try (EvidenceLog log = open(other)) {
      append(log, route(100, 3));
      try (BinIndex idx = BinIndex.open(other, log.records())) {
        assertMatchesScan(idx, log, 3);
      }
    }
    Path shorter = data.resolve("shorter");
    try (EvidenceLog log = open(shorter)) {
      append(log, route(30, 3));
      Files.createDirectories(DataDirLayout.binIndex(shorter).getParent());
      Files.copy(DataDirLayout.binIndex(other), DataDirLayout.binIndex(shorter));
      try (BinIndex idx = BinIndex.open(shorter, log.records())) {
        assertMatchesScan(idx, log, 3);
        assertThat(idx.rebuilds()).isEqualTo(1);
        assertThat(idx.lastRebuildReason()).contains("ahead of the log");
      }
    }
  }

  @Test
  void lifts_markerBehindButLastIndexedEntryDiffers_rebuilt() throws Exception {
    Path first = data.resolve("first");
    try (EvidenceLog log = open(first)) {
      append(log, route(20, 3));
      try (BinIndex idx = BinIndex.open(first, log.records())) {
        assertMatchesScan(idx, log, 3);
      }
    }
    Path second = data.resolve("second");
    try (EvidenceLog log = open(second)) {
      append(log, route(60, 5)); // same length prefix, other bins at the same indices
      Files.createDirectories(DataDirLayout.binIndex(second).getParent());
      Files.copy(DataDirLayout.binIndex(first), DataDirLayout.binIndex(second));
      try (BinIndex idx = BinIndex.open(second, log.records())) {
        assertMatchesScan(idx, log, 5);
        assertThat(idx.rebuilds()).isEqualTo(1);
        assertThat(idx.lastRebuildReason()).contains("no longer in the log");
      }
    }
  }

  @Test
  void lifts_staleHitToAnotherBinsEntry_detectedRebuiltAndRight() throws Exception {
    try (EvidenceLog log = open(data);
        InMemoryStateStore store = new InMemoryStateStore()) {
      append(log, route(20, 2));
      append(log, List.of(lift(tag(1))));
      BinIndex idx = BinIndex.of(store, log.records());
      assertMatchesScan(idx, log, 2);
      long lastOfBin1 = log.size() - 1;
      Map<String, Bytes> forged = new HashMap<>();
      BinPostings.append(store, tag(0), List.of(lastOfBin1), forged);
      store.putAll(forged);
      assertThat(indices(idx.lifts(tag(0)))).doesNotContain(lastOfBin1);
      assertThat(idx.rebuilds()).isEqualTo(1);
      assertThat(idx.lastRebuildReason()).startsWith("stale");
      assertMatchesScan(idx, log, 2);
    }
  }

  @Test
  void lifts_storedValueFailsItsCrc_rebuiltAndRight() throws Exception {
    try (EvidenceLog log = open(data);
        InMemoryStateStore store = new InMemoryStateStore()) {
      append(log, route(600, 2)); // bin 0 spans two chunks
      BinIndex idx = BinIndex.of(store, log.records());
      assertMatchesScan(idx, log, 2);
      String key = BinPostings.chunkKey(tag(0), 1);
      byte[] v = store.get(key).orElseThrow().toByteArray();
      v[v.length - 1] ^= 1;
      store.put(key, Bytes.wrap(v));
      assertThat(idx.lifts(tag(0))).hasSize(300);
      assertThat(idx.rebuilds()).isEqualTo(1);
      assertThat(idx.lastRebuildReason()).contains("CRC");
    }
  }

  /**
   * Seeded random routes over many bins (a few hot ones spanning several chunks), with look-ups
   * between appends and reopenings of the index: every answer equals a full scan of the log.
   */
  @ParameterizedTest
  @ValueSource(longs = {11, 23, 37, 41, 59, 67})
  void lifts_seededRandomRoutes_equalAFullScan(long seed) throws Exception {
    Random rnd = new Random(seed);
    int bins = 5 + rnd.nextInt(60);
    try (EvidenceLog log = open(data)) {
      BinIndex idx = BinIndex.open(data, log.records());
      try {
        int rounds = 2 + rnd.nextInt(4);
        for (int r = 0; r < rounds; r++) {
          List<EntryBody> bodies = new ArrayList<>();
          int n = 50 + rnd.nextInt(700);
          for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(20);
            if (pick == 0) {
              bodies.add(TestEntries.config(i + 1));
            } else if (pick == 1) {
              bodies.add(SampleEntries.unidentifiedCollection());
            } else {
              int bin = rnd.nextInt(4) == 0 ? rnd.nextInt(2) : rnd.nextInt(bins);
              bodies.add(lift(tag(bin)));
            }
          }
          append(log, bodies);
          Map<Bytes, List<Long>> truth = scan(log);
          for (int q = 0; q < 10; q++) {
            int bin = rnd.nextInt(bins + 3);
            assertThat(indices(idx.lifts(tag(bin))))
                .as("seed %d round %d bin %d", seed, r, bin)
                .isEqualTo(truth.getOrDefault(tag(bin), List.of()));
          }
          if (rnd.nextBoolean()) {
            idx.close();
            idx = BinIndex.open(data, log.records());
          }
        }
        assertMatchesScan(idx, log, bins);
        assertThat(idx.rebuilds()).isZero();
      } finally {
        idx.close();
      }
    }
  }

  @Test
  void lifts_moreEntriesThanOneCatchUpBatch_committedBatchesAddUp() throws Exception {
    int batch = 500;
    try (EvidenceLog log = open(data)) {
      List<EntryBody> bodies = new ArrayList<>();
      for (int i = 0; i < 2 * batch + 100; i++) {
        bodies.add(i % 3 == 0 ? lift(tag(i % 5)) : TestEntries.config(i + 1));
      }
      append(log, bodies);
      try (MapDbStateStore store = MapDbStateStore.open(mapdb(), DataDirLayout.quarantine(data))) {
        BinIndex idx = BinIndex.of(store, log.records(), batch);
        idx.lifts(tag(0));
        assertThat(idx.lastCatchUp()).isEqualTo(log.size());
        assertMatchesScan(idx, log, 5);
      }
      try (MapDbStateStore store = MapDbStateStore.open(mapdb(), DataDirLayout.quarantine(data))) {
        BinIndex idx = BinIndex.of(store, log.records(), batch);
        idx.lifts(tag(0));
        assertThat(idx.lastCatchUp()).isZero();
        assertMatchesScan(idx, log, 5);
        assertThat(idx.rebuilds()).isZero();
      }
    }
  }

  @Test
  void lifts_moreNewBinsThanOneCommitHolds_committedInPartsThatAddUp() throws Exception {
    int bins = BinIndex.MAX_BINS_PER_COMMIT + 300;
    try (EvidenceLog log = open(data)) {
      List<EntryBody> bodies = new ArrayList<>();
      for (int i = 0; i < bins; i++) {
        bodies.add(lift(tag(i)));
      }
      append(log, bodies);
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertThat(idx.lifts(tag(bins - 1))).hasSize(1);
        assertThat(idx.lastCatchUp()).isEqualTo(log.size());
        Map<Bytes, List<Long>> truth = scan(log);
        for (int b = 0; b < bins; b += 41) {
          assertThat(indices(idx.lifts(tag(b)))).isEqualTo(truth.get(tag(b)));
        }
      }
      try (BinIndex idx = BinIndex.open(data, log.records())) {
        assertThat(idx.lifts(tag(0))).hasSize(1);
        assertThat(idx.lastCatchUp()).isZero();
        assertThat(idx.rebuilds()).isZero();
      }
    }
  }

  @Test
  void lifts_chunkMissing_rebuiltAndRight() throws Exception {
    try (EvidenceLog log = open(data);
        InMemoryStateStore store = new InMemoryStateStore()) {
      append(log, route(600, 2));
      BinIndex idx = BinIndex.of(store, log.records());
      assertMatchesScan(idx, log, 2);
      store.remove(BinPostings.chunkKey(tag(1), 0));
      assertThat(idx.lifts(tag(1))).hasSize(300);
      assertThat(idx.rebuilds()).isEqualTo(1);
    }
  }
}
