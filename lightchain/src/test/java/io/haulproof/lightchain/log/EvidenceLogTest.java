package io.haulproof.lightchain.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceLogTest {
  private static final SoftwareDeviceKey KEY =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom(new byte[] {1}));
  private static final LogOptions OPTS =
      LogOptions.defaults().withSegmentBytes(16 * 1024).withTreeCheckpointEvery(100);

  @TempDir Path data;

  private EvidenceLog open() throws Exception {
    return EvidenceLog.open(data, KEY, "truck-0042", OPTS);
  }

  /**
   * Checks every entry: signature, device, seq rule, and that the tree root equals one rebuilt from
   * the records.
   */
  static List<Entry> verify(EvidenceLog log) throws Exception {
    List<Entry> out = new ArrayList<>();
    MerkleTree fresh = MerkleTree.inMemory();
    for (long i = 0; i < log.size(); i++) {
      CoseSign1 c = CoseSign1.decode(log.read(i));
      c.verify(KEY.publicKey());
      Entry e = EntryCodec.decode(c);
      assertThat(e.header().seq()).as("seq at index %d", i).isEqualTo(i + 1);
      out.add(e);
      fresh.append(Rfc9162.leafHash(log.read(i)));
    }
    assertThat(log.tree().size()).isEqualTo(log.size());
    assertThat(log.tree().root()).isEqualTo(fresh.root());
    return out;
  }

  @Test
  void append_fromSeveralThreads_givesContiguousSeqInLogOrderAndMatchingTree() throws Exception {
    // given
    try (EvidenceLog log = open()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<List<Appended>>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        work.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Appended>> fs = new ArrayList<>();
                  for (int i = 0; i < 100; i++) {
                    fs.add(log.append(SampleEntries.collection()));
                  }
                  List<Appended> done = new ArrayList<>();
                  for (CompletableFuture<Appended> f : fs) {
                    done.add(f.get());
                  }
                  return done;
                }));
      }
      List<Appended> all = new ArrayList<>();
      for (Future<List<Appended>> w : work) {
        all.addAll(w.get());
      }
      pool.shutdown();

      // then
      assertThat(log.size()).isEqualTo(400);
      for (Appended a : all) {
        assertThat(a.seq()).isEqualTo(a.index() + 1);
        assertThat(log.read(a.index())).isEqualTo(a.cose());
      }
      verify(log);
      Hash leaf = Rfc9162.leafHash(all.get(7).cose());
      ProofVerifier.verifyInclusion(
          all.get(7).index(),
          400,
          leaf,
          log.tree().inclusionProof(all.get(7).index(), 400),
          log.tree().root());
    }
  }

  @Test
  void open_again_advancesBootEpochAndContinuesSeq() throws Exception {
    long epoch;
    try (EvidenceLog log = open()) {
      epoch = log.bootEpoch();
      for (int i = 0; i < 10; i++) {
        log.append(SampleEntries.collection());
      }
      log.append(SampleEntries.collection()).get();
    }
    try (EvidenceLog log = open()) {
      assertThat(log.bootEpoch()).isEqualTo(epoch + 1);
      Appended a = log.append(SampleEntries.collection()).get();
      assertThat(a.seq()).isEqualTo(12);
      List<Entry> entries = verify(log);
      assertThat(entries.get(11).header().bootEpoch()).isEqualTo(epoch + 1);
      assertThat(entries.get(0).header().deviceId()).isEqualTo("truck-0042");
    }
  }

  @Test
  void open_treeFilesDeleted_rebuildsSameRoot() throws Exception {
    Hash root;
    try (EvidenceLog log = open()) {
      for (int i = 0; i < 250; i++) {
        log.append(SampleEntries.collection());
      }
      log.append(SampleEntries.collection()).get();
      root = log.tree().root();
    }
    try (var s = Files.list(data.resolve("merkle"))) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    try (EvidenceLog log = open()) {
      assertThat(log.tree().size()).isEqualTo(251);
      assertThat(log.tree().root()).isEqualTo(root);
    }
  }

  @Test
  void open_damagedMiddleRecord_appendsSignedLossEntryWithIndexAndSeq() throws Exception {
    // given
    try (EvidenceLog log = open()) {
      for (int i = 0; i < 30; i++) {
        log.append(SampleEntries.collection());
      }
      log.append(SampleEntries.collection()).get();
    }
    Path seg = SegmentedLog.listSegments(data.resolve("log")).get(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      long at = Frames.HEADER_SIZE + 2L * (Frames.FRAME_OVERHEAD + 287) / 2 + 40;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }

    // when
    try (EvidenceLog log = open()) {
      // then
      assertThat(log.lossEntries()).hasSize(1);
      Appended loss = log.lossEntries().get(0);
      CoseSign1 c = CoseSign1.decode(loss.cose());
      c.verify(KEY.publicKey());
      Entry e = EntryCodec.decode(c);
      assertThat(e.body()).isInstanceOf(LossBody.class);
      LossBody body = (LossBody) e.body();
      assertThat(body.reason()).isEqualTo(LossReason.CRC_MISMATCH);
      long lost = body.firstIndex().orElseThrow();
      assertThat(body.lastIndex().orElseThrow()).isEqualTo(lost);
      assertThat(body.firstSeq().orElseThrow()).isEqualTo(lost + 1);
      assertThat(body.quarantinePath().orElseThrow()).startsWith("quarantine/");
      assertThat(e.header().seq()).isEqualTo(32);
      assertThat(log.records().isLost(lost)).isTrue();
      assertThat(log.tree().size()).isEqualTo(32);
    }
    try (EvidenceLog log = open()) {
      assertThat(log.lossEntries()).isEmpty();
      assertThat(log.size()).isEqualTo(32);
    }
  }

  @Test
  void open_newestSegmentDeleted_keepsIndicesAndTreeAndLogsLoss() throws Exception {
    // given a closed log whose tree head covers all 201 entries
    Hash root;
    try (EvidenceLog log = open()) {
      for (int i = 0; i < 200; i++) {
        log.append(SampleEntries.collection());
      }
      log.append(SampleEntries.collection()).get();
      root = log.tree().root();
    }
    List<Path> segs = SegmentedLog.listSegments(data.resolve("log"));
    Path newest = segs.get(segs.size() - 1);
    long firstGone = Long.parseLong(newest.getFileName().toString().substring(0, 20));
    Files.delete(newest);

    // when
    try (EvidenceLog log = open()) {
      // then the vanished indices stay taken, the tree still proves the old root, and a loss entry
      // says so
      assertThat(log.lossEntries()).hasSize(1);
      Appended loss = log.lossEntries().get(0);
      assertThat(loss.index()).isEqualTo(201);
      assertThat(loss.seq()).isEqualTo(202);
      LossBody body = (LossBody) EntryCodec.decode(CoseSign1.decode(loss.cose())).body();
      assertThat(body.reason()).isEqualTo(LossReason.MISSING_SEGMENT);
      assertThat(body.firstIndex().orElseThrow()).isEqualTo(firstGone);
      assertThat(body.lastIndex().orElseThrow()).isEqualTo(200);
      // the entry before the gap shows the lost seqs (one entry per index, seq + 1 per entry)
      assertThat(body.firstSeq().orElseThrow()).isEqualTo(firstGone + 1);
      assertThat(body.lastSeq().orElseThrow()).isEqualTo(201);
      assertThat(log.tree().root(201)).isEqualTo(root);
      assertThat(log.records().isLost(200)).isTrue();
      ProofVerifier.verifyConsistency(
          201, 202, log.tree().consistencyProof(201, 202), root, log.tree().root());
    }
    try (EvidenceLog log = open()) {
      assertThat(log.lossEntries()).isEmpty();
      assertThat(log.append(SampleEntries.collection()).get().seq()).isEqualTo(203);
    }
  }
}
