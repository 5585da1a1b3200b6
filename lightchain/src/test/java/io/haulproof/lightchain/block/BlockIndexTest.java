package io.haulproof.lightchain.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.index.mapdb.MapDbStateStore;
import io.haulproof.lightchain.testing.TestEntries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The derived block-offset index (MapDB) is used only when it fits the file, else rebuilt. */
class BlockIndexTest {
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  @TempDir Path dir;

  private void chainWithBlocks(int blocks) throws Exception {
    try (Lightchain chain =
        Lightchain.open(
            dir,
            key,
            "truck-7",
            LightchainOptions.defaults(Checkpoint.originFor("f", "truck-7"))
                .withBlocks(1, 3_600_000))) {
      for (int i = 0; i < blocks; i++) {
        chain.append(TestEntries.config(i + 1)).get(30, TimeUnit.SECONDS);
      }
      chain.flush().get(30, TimeUnit.SECONDS);
    }
  }

  private BlockStore openStore(MapDbStateStore index) throws Exception {
    return BlockStore.open(dir, index);
  }

  private MapDbStateStore index() throws Exception {
    return MapDbStateStore.open(DataDirLayout.blockIndex(dir), DataDirLayout.quarantine(dir));
  }

  @Test
  void open_indexFitsFile_resumesAndReadsEveryBlockFromDisk() throws Exception {
    chainWithBlocks(70);
    List<Block> strict = BlockStore.readStrict(dir);
    try (MapDbStateStore idx = index();
        BlockStore s = openStore(idx)) {
      assertThat(idx.rebuilt()).isFalse();
      assertThat(s.resumedFromIndex()).isTrue();
      assertThat(s.size()).isEqualTo(70);
      assertThat(s.blocks()).containsExactlyElementsOf(strict);
      assertThat(s.last()).contains(strict.get(69));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void open_garbledIndexFile_quarantinesRebuildsAndReadsEveryBlock(long seed) throws Exception {
    chainWithBlocks(10);
    List<Block> strict = BlockStore.readStrict(dir);
    Path file = DataDirLayout.blockIndex(dir);
    byte[] junk = Files.readAllBytes(file);
    Random r = new Random(seed);
    for (int i = 0; i < 64; i++) {
      junk[r.nextInt(junk.length)] ^= (byte) (1 + r.nextInt(255));
    }
    Files.write(file, junk);
    try (MapDbStateStore idx = index();
        BlockStore s = openStore(idx)) {
      assertThat(s.blocks()).containsExactlyElementsOf(strict);
      if (idx.rebuilt()) {
        try (Stream<Path> q = Files.list(DataDirLayout.quarantine(dir))) {
          assertThat(q.map(p -> p.getFileName().toString()))
              .anyMatch(n -> n.startsWith("blocks.mapdb"));
        }
      }
    }
  }

  @Test
  void open_indexMissing_rebuildsByScanning() throws Exception {
    chainWithBlocks(5);
    List<Block> strict = BlockStore.readStrict(dir);
    try (Stream<Path> files = Files.list(DataDirLayout.blockIndex(dir).getParent())) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    try (MapDbStateStore idx = index();
        BlockStore s = openStore(idx)) {
      assertThat(s.resumedFromIndex()).isFalse();
      assertThat(s.blocks()).containsExactlyElementsOf(strict);
    }
  }

  @Test
  void open_indexFromEarlierRun_scansOnlyNewerBlocksAndReadsAll() throws Exception {
    // given an index saved after 3 blocks (as a kill -9 before the next index commit leaves it)
    chainWithBlocks(3);
    Path saved = dir.resolve("saved-index");
    Files.createDirectories(saved);
    Path idxDir = DataDirLayout.blockIndex(dir).getParent();
    try (Stream<Path> files = Files.list(idxDir)) {
      for (Path p : files.toList()) {
        Files.copy(p, saved.resolve(p.getFileName()));
      }
    }
    try (Lightchain chain =
        Lightchain.open(
            dir,
            key,
            "truck-7",
            LightchainOptions.defaults(Checkpoint.originFor("f", "truck-7"))
                .withBlocks(1, 3_600_000))) {
      chain.append(TestEntries.config(100)).get(30, TimeUnit.SECONDS);
      chain.append(TestEntries.config(101)).get(30, TimeUnit.SECONDS);
      chain.flush().get(30, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.list(saved)) {
      for (Path p : files.toList()) {
        Files.copy(p, idxDir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<Block> strict = BlockStore.readStrict(dir);
    // when
    try (MapDbStateStore idx = index();
        BlockStore s = openStore(idx)) {
      // then
      assertThat(s.resumedFromIndex()).isTrue();
      assertThat(strict).hasSizeGreaterThanOrEqualTo(5);
      assertThat(s.blocks()).containsExactlyElementsOf(strict);
    }
  }

  @Test
  void open_blockFileReplacedUnderIndex_tailCheckFailsAndFullScanRuns() throws Exception {
    chainWithBlocks(4);
    Path blocks = BlockStore.fileIn(dir);
    byte[] original = Files.readAllBytes(blocks);
    // a shorter file: the index's tail lies beyond its end
    try (BlockStore s = BlockStore.open(dir)) {
      s.cutBackTo(2, "test");
    }
    List<Block> strict = BlockStore.readStrict(dir);
    try (MapDbStateStore idx = index();
        BlockStore s = openStore(idx)) {
      assertThat(s.resumedFromIndex()).isFalse();
      assertThat(s.blocks()).containsExactlyElementsOf(strict).hasSize(2);
    }
    assertThat(original.length).isGreaterThan((int) Files.size(blocks));
  }
}
