package io.haulproof.lightchain.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFileTest {
  private static final byte[] MAGIC = "HPTEST01".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("r.dat");
  }

  private void write(String... payloads) throws IOException {
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      for (String p : payloads) {
        f.append(Bytes.of(p.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  void open_afterAppends_returnsRecordsInOrder() throws IOException {
    // given
    write("one", "two", "three");
    // when
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      // then
      assertThat(f.records())
          .extracting(b -> new String(b.toByteArray(), StandardCharsets.UTF_8))
          .containsExactly("one", "two", "three");
      assertThat(f.recovery().damaged()).isFalse();
      assertThat(f.recovery().tornBytes()).isZero();
    }
    assertThat(RecordFile.readStrict(file(), MAGIC)).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 9, 12})
  void open_tornTail_truncatesAndKeepsEarlierRecords(int cut) throws IOException {
    // given
    write("one", "two", "three-is-longer");
    long size = Files.size(file());
    try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
      raf.setLength(size - cut);
    }
    assertThatThrownBy(() -> RecordFile.readStrict(file(), MAGIC)).isInstanceOf(IOException.class);
    // when
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      // then
      assertThat(f.size()).isEqualTo(2);
      assertThat(f.recovery().tornBytes()).isPositive();
      assertThat(f.recovery().damaged()).isFalse();
      f.append(Bytes.of((byte) 4));
    }
    assertThat(RecordFile.readStrict(file(), MAGIC)).hasSize(3);
  }

  @Test
  void open_zeroFilledTail_isTornNotDamage() throws IOException {
    // given
    write("one");
    try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
      raf.setLength(Files.size(file()) + 100);
    }
    // when
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      // then
      assertThat(f.size()).isEqualTo(1);
      assertThat(f.recovery().tornBytes()).isEqualTo(100);
      assertThat(f.recovery().damaged()).isFalse();
    }
  }

  @Test
  void open_flippedByteInMiddle_quarantinesCopyAndCutsBack() throws IOException {
    // given
    write("one", "two", "three");
    flip(RecordFile.HEADER + 8 + 1); // inside the payload of "one"
    byte[] damaged = Files.readAllBytes(file());
    // when
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      // then
      assertThat(f.recovery().damaged()).isTrue();
      assertThat(f.recovery().damageOffset()).isEqualTo(RecordFile.HEADER);
      assertThat(f.size()).isZero();
      assertThat(Files.readAllBytes(f.recovery().quarantined().orElseThrow())).isEqualTo(damaged);
    }
  }

  @Test
  void cutBackTo_keepsPrefixQuarantinesWholeFileAndAppendsAfter() throws IOException {
    // given
    write("one", "two", "three");
    byte[] before = Files.readAllBytes(file());
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      // when
      Path copy = f.cutBackTo(1, "diverged");
      f.append(Bytes.of((byte) 9));
      // then
      assertThat(Files.readAllBytes(copy)).isEqualTo(before);
      assertThat(f.size()).isEqualTo(2);
    }
    assertThat(RecordFile.readStrict(file(), MAGIC))
        .extracting(b -> b.length())
        .containsExactly(3, 1);
  }

  @Test
  void readStrict_wrongMagic_throws() throws IOException {
    write("one");
    assertThatThrownBy(
            () -> RecordFile.readStrict(file(), "OTHER001".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("wrong magic");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void open_randomMutation_neverAcceptsAlteredRecord(long seed) throws IOException {
    // given
    Random rnd = new Random(seed);
    String[] payloads = new String[20];
    for (int i = 0; i < payloads.length; i++) {
      payloads[i] = "record-" + i + "-" + rnd.nextInt();
    }
    write(payloads);
    long size = Files.size(file());
    long at = RecordFile.HEADER + (long) rnd.nextInt((int) size - RecordFile.HEADER);
    flip(at);
    // when
    try (RecordFile f = RecordFile.open(file(), MAGIC, dir.resolve("quarantine"))) {
      // then every record kept is one that was written, in order, and something was reported
      List<Bytes> kept = f.records();
      assertThat(kept.size()).isLessThan(payloads.length);
      for (int i = 0; i < kept.size(); i++) {
        assertThat(new String(kept.get(i).toByteArray(), StandardCharsets.UTF_8))
            .isEqualTo(payloads[i]);
      }
      assertThat(f.recovery().damaged() || f.recovery().tornBytes() > 0).isTrue();
    }
  }

  private void flip(long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x40);
    }
  }
}
