package io.haulproof.lightchain.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedLogTest {
  static final LogOptions SMALL = LogOptions.defaults().withSegmentBytes(4096);

  @TempDir Path data;

  static Bytes record(int i) {
    byte[] b = new byte[10 + (i * 37) % 200];
    for (int k = 0; k < b.length; k++) {
      b[k] = (byte) (i * 31 + k);
    }
    return Bytes.wrap(b);
  }

  static void fill(SegmentedLog log, int from, int to) throws Exception {
    List<CompletableFuture<Long>> fs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      fs.add(log.append(record(i)));
    }
    for (int i = 0; i < fs.size(); i++) {
      assertThat(fs.get(i).get()).isEqualTo(from + i);
    }
  }

  @Test
  void append_manyRecords_readBackAfterReopenAcrossSegments() throws Exception {
    // given
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      fill(log, 0, 300);
    }

    // when
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      // then
      assertThat(log.size()).isEqualTo(300);
      assertThat(log.losses()).isEmpty();
      assertThat(SegmentedLog.listSegments(data.resolve("log")).size()).isGreaterThan(5);
      for (int i = 0; i < 300; i++) {
        assertThat(log.read(i)).isEqualTo(record(i));
      }
      LogCursor c = log.cursor(0);
      for (int i = 0; i < 300; i++) {
        assertThat(c.next()).isEqualTo(new LogRecord(i, record(i)));
      }
      assertThat(c.next()).isNull();
      fill(log, 300, 310);
      assertThat(log.read(309)).isEqualTo(record(309));
    }
  }

  @Test
  void open_filesAndDirectories_areOwnerOnly() throws Exception {
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      fill(log, 0, 3);
    }
    Path seg = SegmentedLog.listSegments(data.resolve("log")).get(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seg)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("log"))))
        .isEqualTo("rwx------");
  }

  @Test
  void commitListener_afterEachGroup_seesDurableSize() throws Exception {
    AtomicLong seen = new AtomicLong();
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      log.addCommitListener(seen::set);
      fill(log, 0, 50);
      assertThat(seen.get()).isEqualTo(50);
    }
  }

  @Test
  void append_emptyOrOversizedRecord_isRejected() throws Exception {
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      assertThatThrownBy(() -> log.append(Bytes.EMPTY).get())
          .isInstanceOf(ExecutionException.class);
      assertThatThrownBy(() -> log.append(Bytes.wrap(new byte[Frames.MAX_PAYLOAD + 1])).get())
          .hasCauseInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.read(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void open_tornLastFrame_truncatesWithoutReport() throws Exception {
    // given
    try (SegmentedLog log = SegmentedLog.open(data, LogOptions.defaults())) {
      fill(log, 0, 20);
    }
    Path seg = SegmentedLog.listSegments(data.resolve("log")).get(0);
    long len = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(len - 5);
    }

    // when
    try (SegmentedLog log = SegmentedLog.open(data, LogOptions.defaults())) {
      // then
      assertThat(log.size()).isEqualTo(19);
      assertThat(log.losses()).isEmpty();
      assertThat(log.tornBytes()).isGreaterThan(0);
      fill(log, 19, 25);
      assertThat(log.read(24)).isEqualTo(record(24));
    }
  }

  @Test
  void open_flippedBitInMiddle_quarantinesReportsAndKeepsOtherRecords() throws Exception {
    // given
    try (SegmentedLog log = SegmentedLog.open(data, LogOptions.defaults())) {
      fill(log, 0, 20);
    }
    Path seg = SegmentedLog.listSegments(data.resolve("log")).get(0);
    long offsetOf5 = Frames.HEADER_SIZE;
    for (int i = 0; i < 5; i++) {
      offsetOf5 += Frames.FRAME_OVERHEAD + record(i).length();
    }
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(offsetOf5 + Frames.FRAME_OVERHEAD + 3);
      int b = f.read();
      f.seek(offsetOf5 + Frames.FRAME_OVERHEAD + 3);
      f.write(b ^ 0x10);
    }
    byte[] damaged = Files.readAllBytes(seg);

    // when
    try (SegmentedLog log = SegmentedLog.open(data, LogOptions.defaults())) {
      // then
      assertThat(log.size()).isEqualTo(20);
      assertThat(log.losses()).hasSize(1);
      LossReport r = log.losses().get(0);
      assertThat(r.firstLostIndex()).isEqualTo(5);
      assertThat(r.lostCount()).isEqualTo(1);
      assertThat(r.countKnown()).isTrue();
      assertThat(r.offset()).isEqualTo(offsetOf5);
      assertThat(Files.readAllBytes(r.quarantined())).isEqualTo(damaged);
      assertThat(Files.readAllBytes(seg)).isEqualTo(damaged);
      assertThat(log.lossCount()).isEqualTo(1);
      assertThatThrownBy(() -> log.read(5)).isInstanceOf(LostRecordException.class);
      assertThat(log.read(4)).isEqualTo(record(4));
      assertThat(log.read(6)).isEqualTo(record(6));
      LogCursor c = log.cursor(3);
      assertThat(c.next().index()).isEqualTo(3);
      assertThat(c.next().index()).isEqualTo(4);
      assertThat(c.next().index()).isEqualTo(6);
      fill(log, 20, 25);
      log.acknowledgeLoss(r);
    }
    assertThat(SegmentedLog.listSegments(data.resolve("log"))).hasSize(2);
    try (SegmentedLog log = SegmentedLog.open(data, LogOptions.defaults())) {
      assertThat(log.losses()).isEmpty();
      assertThat(log.lossCount()).isEqualTo(1);
      assertThat(log.isLost(5)).isTrue();
      assertThat(log.read(24)).isEqualTo(record(24));
    }
  }

  @Test
  void open_missingMiddleSegment_reportsLostIndices() throws Exception {
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      fill(log, 0, 200);
    }
    List<Path> segs = SegmentedLog.listSegments(data.resolve("log"));
    Path gone = segs.get(2);
    long from = Long.parseLong(gone.getFileName().toString().substring(0, 20));
    long to = Long.parseLong(segs.get(3).getFileName().toString().substring(0, 20));
    Files.delete(gone);

    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      assertThat(log.losses()).hasSize(1);
      assertThat(log.losses().get(0).firstLostIndex()).isEqualTo(from);
      assertThat(log.losses().get(0).lostCount()).isEqualTo(to - from);
      assertThat(log.size()).isEqualTo(200);
      assertThat(log.read(to)).isEqualTo(record((int) to));
    }
  }

  @Test
  void cursor_whileWriterAppends_readsEveryRecordInOrder() throws Exception {
    try (SegmentedLog log = SegmentedLog.open(data, SMALL)) {
      AtomicReference<Exception> writerFailed = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  fill(log, 0, 1500);
                } catch (Exception e) {
                  writerFailed.set(e);
                }
              });
      writer.start();
      LogCursor c = log.cursor(0);
      int seen = 0;
      // A spin, not Await's 20 ms polls: reading right behind the writer, at a tail that moves
      // between two next() calls, is what this test is about. The deadline only guards a hang.
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (seen < 1500 && System.nanoTime() < deadline && writerFailed.get() == null) {
        LogRecord rec = c.next();
        if (rec == null) {
          Thread.onSpinWait();
          continue;
        }
        assertThat(rec).isEqualTo(new LogRecord(seen, record(seen)));
        seen++;
      }
      writer.join(60_000);
      assertThat(writerFailed.get()).as("writer failure").isNull();
      assertThat(seen)
          .as("records the cursor read within 60 s while the writer appended")
          .isEqualTo(1500);
    }
  }
}
