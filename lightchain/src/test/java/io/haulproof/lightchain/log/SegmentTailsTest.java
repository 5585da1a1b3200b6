package io.haulproof.lightchain.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.SampleEntries;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The derived index of segment tails: used only when it matches the files, else rebuilt. */
class SegmentTailsTest {
  private static final SoftwareDeviceKey KEY =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom(new byte[] {2}));
  private static final LogOptions OPTS = LogOptions.defaults().withSegmentBytes(8 * 1024);

  @TempDir Path data;

  private EvidenceLog open() throws Exception {
    return EvidenceLog.open(data, KEY, "truck-0042", OPTS);
  }

  private List<Bytes> write(int n) throws Exception {
    try (EvidenceLog log = open()) {
      List<CompletableFuture<Appended>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(log.append(SampleEntries.collection()));
      }
      for (CompletableFuture<Appended> f : fs) {
        f.get();
      }
      return all(log);
    }
  }

  private static List<Bytes> all(EvidenceLog log) throws Exception {
    List<Bytes> out = new ArrayList<>();
    LogCursor c = log.cursor(0);
    for (LogRecord r = c.next(); r != null; r = c.next()) {
      out.add(r.payload());
    }
    return out;
  }

  private List<Path> segments() throws Exception {
    return SegmentedLog.listSegments(data.resolve("log"));
  }

  @Test
  void open_thirdTime_trustsClosedSegmentsAndReadsEveryRecord() throws Exception {
    List<Bytes> written = write(300);
    int segs = segments().size();
    assertThat(segs).isGreaterThan(3);
    try (EvidenceLog log = open()) { // scans the closed segments once and remembers their tails
      assertThat(log.records().trustedSegments()).isZero();
    }
    try (EvidenceLog log = open()) {
      assertThat(log.records().trustedSegments()).isEqualTo(segments().size() - 1);
      assertThat(all(log)).containsExactlyElementsOf(written);
      assertThat(log.read(150)).isEqualTo(written.get(150)); // a random read walks from the head
      assertThat(log.lossEntries()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void open_garbledIndexFile_quarantinesScansAndReadsEveryRecord(long seed) throws Exception {
    List<Bytes> written = write(200);
    try (EvidenceLog log = open()) {
      assertThat(log.records().trustedSegments()).isZero();
    }
    Path file = DataDirLayout.segmentIndex(data);
    byte[] junk = Files.readAllBytes(file);
    Random r = new Random(seed);
    for (int i = 0; i < 128; i++) {
      junk[r.nextInt(junk.length)] ^= (byte) (1 + r.nextInt(255));
    }
    Files.write(file, junk);
    try (EvidenceLog log = open()) {
      assertThat(all(log)).containsExactlyElementsOf(written);
      assertThat(log.lossEntries()).isEmpty();
    }
    try (EvidenceLog log = open()) { // rebuilt: trusted again
      assertThat(log.records().trustedSegments()).isEqualTo(segments().size() - 1);
    }
  }

  @Test
  void open_indexFileEmptied_rebuildsQuarantinesAndTrustsNextTime() throws Exception {
    write(200);
    try (EvidenceLog log = open()) {}
    Files.write(DataDirLayout.segmentIndex(data), new byte[0]);
    try (EvidenceLog log = open()) {
      assertThat(log.records().trustedSegments()).isZero();
    }
    try (Stream<Path> q = Files.list(DataDirLayout.quarantine(data))) {
      assertThat(q.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("segments.mapdb"));
    }
    try (EvidenceLog log = open()) {
      assertThat(log.records().trustedSegments()).isEqualTo(segments().size() - 1);
    }
  }

  @Test
  void open_rememberedSegmentTailAltered_scansItAndReportsTheDamage() throws Exception {
    write(200);
    try (EvidenceLog log = open()) {}
    Path first = segments().get(0);
    long size = Files.size(first);
    try (RandomAccessFile raf = new RandomAccessFile(first.toFile(), "rw")) {
      raf.seek(size - 3);
      int b = raf.read();
      raf.seek(size - 3);
      raf.write(b ^ 0x40);
    }
    try (EvidenceLog log = open()) {
      assertThat(log.records().trustedSegments()).isEqualTo(segments().size() - 2);
      assertThat(log.lossEntries()).hasSize(1);
      assertThat(log.records().lossCount()).isEqualTo(1);
    }
  }

  @Test
  void open_rememberedSegmentTruncated_scansItAndReportsTheLoss() throws Exception {
    write(200);
    try (EvidenceLog log = open()) {}
    Path first = segments().get(0);
    try (RandomAccessFile raf = new RandomAccessFile(first.toFile(), "rw")) {
      raf.setLength(Files.size(first) - 40);
    }
    try (EvidenceLog log = open()) {
      assertThat(log.lossEntries()).isNotEmpty();
    }
  }

  @Test
  void open_damageInsideTrustedSegment_foundWhenRead() throws Exception {
    List<Bytes> written = write(200);
    try (EvidenceLog log = open()) {}
    Path first = segments().get(0);
    try (RandomAccessFile raf = new RandomAccessFile(first.toFile(), "rw")) {
      raf.seek(Frames.HEADER_SIZE + 20); // inside the first frame's payload
      int b = raf.read();
      raf.seek(Frames.HEADER_SIZE + 20);
      raf.write(b ^ 0x01);
    }
    try (EvidenceLog log = open()) {
      assertThat(log.records().trustedSegments()).isEqualTo(segments().size() - 1);
      assertThatThrownBy(() -> log.read(0)).isInstanceOf(LostRecordException.class);
      assertThat(log.read(1)).isEqualTo(written.get(1));
    }
  }
}
