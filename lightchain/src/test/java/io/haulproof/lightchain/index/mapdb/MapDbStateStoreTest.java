package io.haulproof.lightchain.index.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.index.DerivedStateStore;
import io.haulproof.lightchain.index.InMemoryStateStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MapDbStateStoreTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("derived.db");
  }

  private Path quarantine() {
    return dir.resolve("quarantine");
  }

  @Test
  void commit_thenReopen_keepsValues() throws Exception {
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      assertThat(s.rebuilt()).isFalse();
      s.putLong("uplink.cursor", 1234);
      s.put("seq.7", Bytes.of((byte) 6));
      s.commit();
    }
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      assertThat(s.rebuilt()).isFalse();
      assertThat(s.getLong("uplink.cursor", -1)).isEqualTo(1234);
      assertThat(s.get("seq.7")).contains(Bytes.of((byte) 6));
      assertThat(s.get("absent")).isEmpty();
    }
  }

  @Test
  void clear_moreKeysThanOneClearBatch_allGoneAndStoreStillValid() throws Exception {
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      for (int i = 0; i < 10_000; i++) {
        s.putLong("k" + i, i);
      }
      s.commit();
      s.clear();
      s.putLong("after", 1);
      s.commit();
    }
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      assertThat(s.rebuilt()).as("format marker kept").isFalse();
      for (int i = 0; i < 10_000; i += 97) {
        assertThat(s.get("k" + i)).isEmpty();
      }
      assertThat(s.get("k9999")).isEmpty();
      assertThat(s.getLong("after", -1)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void open_damagedFile_quarantinesAndStartsEmpty(int seed) throws Exception {
    // given
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      for (int i = 0; i < 200; i++) {
        s.putLong("k" + i, i);
      }
      s.commit();
    }
    Random r = new Random(seed);
    long len = Files.size(file());
    try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
      if (seed % 2 == 0) {
        f.setLength(r.nextInt(64));
      } else {
        byte[] junk = new byte[4096];
        r.nextBytes(junk);
        f.seek(0);
        f.write(junk);
      }
    }

    // when
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      // then
      assertThat(s.rebuilt()).isTrue();
      assertThat(s.get("k1")).isEmpty();
      s.putLong("k1", 1);
      s.commit();
    }
    try (Stream<Path> q = Files.list(quarantine())) {
      assertThat(q.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("derived.db."));
    }
    assertThat(len).isPositive();
    try (DerivedStateStore s = MapDbStateStore.open(file(), quarantine())) {
      assertThat(s.rebuilt()).isFalse();
      assertThat(s.getLong("k1", -1)).isEqualTo(1);
    }
  }

  @Test
  void inMemory_clearAndRemove_behaveLikeAMap() {
    InMemoryStateStore s = new InMemoryStateStore();
    s.putLong("a", 5);
    s.put("b", Bytes.of((byte) 1));
    s.remove("b");
    assertThat(s.getLong("a", 0)).isEqualTo(5);
    assertThat(s.get("b")).isEmpty();
    s.clear();
    assertThat(s.get("a")).isEmpty();
  }
}
