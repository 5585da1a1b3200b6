package io.haulproof.lightchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointVerifier;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.testing.TestEntries;
import io.haulproof.lightchain.verify.VerificationResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightchainTest {
  private static final String ORIGIN = Checkpoint.originFor("fleet-1", "truck-7");
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  @TempDir Path dir;

  private Lightchain open(int maxEntries, long maxMillis) throws Exception {
    return Lightchain.open(
        dir, key, "truck-7", LightchainOptions.defaults(ORIGIN).withBlocks(maxEntries, maxMillis));
  }

  private static List<Appended> append(Lightchain chain, int n, long firstVersion)
      throws Exception {
    List<CompletableFuture<Appended>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(chain.append(TestEntries.config(firstVersion + i)));
    }
    List<Appended> out = new ArrayList<>();
    for (CompletableFuture<Appended> f : fs) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void append_thenClose_cutsBlocksSignsCheckpointAndVerifies() throws Exception {
    // given
    List<Appended> acked;
    SignedNote cp;
    try (Lightchain chain = open(10, 3_600_000)) {
      // when
      acked = append(chain, 25, 1);
      chain.flush().get(60, TimeUnit.SECONDS);
      cp = chain.checkpoint().orElseThrow();
      // then: full blocks of 10 plus one of 5, cut by flush
      assertThat(chain.blocks()).extracting(b -> b.header().count()).containsExactly(10L, 10L, 5L);
      assertThat(chain.failure()).isEmpty();
    }
    assertThat(acked).extracting(Appended::seq).startsWith(1L, 2L, 3L).hasSize(25);
    Checkpoint c = new CheckpointVerifier(ORIGIN, key.publicKey()).verify(cp);
    assertThat(c.size()).isEqualTo(25);
    try (ChainReader reader = ChainReader.open(dir)) {
      VerificationResult r = reader.verify(n -> {});
      assertThat(r.reason()).isEmpty();
      assertThat(r.entries()).isEqualTo(25);
      assertThat(r.blocks()).isEqualTo(3);
      assertThat(r.root()).isEqualTo(c.root());
    }
  }

  @Test
  void append_fewerThanMax_timerCutsBlockAndSignsCheckpoint() throws Exception {
    try (Lightchain chain = open(1000, 30)) {
      append(chain, 3, 1);
      // the timer, not the entry count, closes blocks; commits may arrive in one group or several
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            while (chain.checkpoint().isEmpty()
                || Checkpoint.parse(chain.checkpoint().get().text()).size() < 3) {
              Thread.sleep(10);
            }
          });
      assertThat(chain.blocks())
          .extracting(b -> b.header().count())
          .allMatch(c -> c >= 1 && c <= 3);
      assertThat(chain.blocks().stream().mapToLong(b -> b.header().count()).sum()).isEqualTo(3);
    }
  }

  @Test
  void close_withoutEntries_cutsNoEmptyBlock() throws Exception {
    try (Lightchain chain = open(10, 3_600_000)) {
      chain.flush().get(60, TimeUnit.SECONDS);
      assertThat(chain.blocks()).isEmpty();
      assertThat(chain.checkpoint()).isEmpty();
    }
  }

  @Test
  void reopen_continuesChainAndSequence() throws Exception {
    // given
    try (Lightchain chain = open(4, 3_600_000)) {
      append(chain, 6, 1);
    }
    // when
    List<Appended> later;
    try (Lightchain chain = open(4, 3_600_000)) {
      later = append(chain, 5, 100);
    }
    // then
    assertThat(later.get(0).seq()).isEqualTo(7);
    try (ChainReader reader = ChainReader.open(dir)) {
      VerificationResult r = reader.verify(n -> {});
      assertThat(r.reason()).isEmpty();
      assertThat(r.entries()).isEqualTo(11);
      List<Block> blocks = reader.blocks();
      assertThat(blocks).extracting(b -> b.header().count()).containsExactly(4L, 2L, 4L, 1L);
    }
  }

  @Test
  void reopen_damagedBlockFile_quarantinesLogsLossAndRecreatesBlocks() throws Exception {
    // given three blocks, then a flipped byte inside the first block record
    try (Lightchain chain = open(5, 3_600_000)) {
      append(chain, 15, 1);
    }
    Path blocks = BlockStore.fileIn(dir);
    try (RandomAccessFile raf = new RandomAccessFile(blocks.toFile(), "rw")) {
      raf.seek(30);
      int b = raf.read();
      raf.seek(30);
      raf.write(b ^ 0x01);
    }
    // the block index vouches only for the tail: reading the damaged block finds the damage and
    // withdraws the index's resume point
    try (Lightchain chain = open(5, 3_600_000)) {
      assertThat(chain.blockCount()).isEqualTo(3);
      assertThatThrownBy(() -> chain.blocks().get(0)).hasMessageContaining("CRC");
    }
    // when
    try (Lightchain chain = open(5, 3_600_000)) {
      chain.flush().get(60, TimeUnit.SECONDS);
      // then
      assertThat(chain.failure()).isEmpty();
    }
    assertThat(Files.list(dir.resolve("quarantine")).map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.startsWith("blocks.dat."));
    try (ChainReader reader = ChainReader.open(dir)) {
      VerificationResult r = reader.verify(n -> {});
      assertThat(r.reason()).isEmpty();
      assertThat(r.entries()).isEqualTo(16); // 15 plus the loss entry
      assertThat(reader.blocks()).extracting(b -> b.header().treeSize()).endsWith(16L);
    }
  }

  @Test
  void open_blocksFromAnotherLog_quarantinesThemLogsLossAndRecreatesBlocks(@TempDir Path other)
      throws Exception {
    // given a second chain whose entries differ, and this chain's block file copied over it
    try (Lightchain chain = open(5, 3_600_000)) {
      append(chain, 5, 1);
    }
    try (Lightchain chain =
        Lightchain.open(
            other, key, "truck-7", LightchainOptions.defaults(ORIGIN).withBlocks(50, 3_600_000))) {
      append(chain, 5, 500);
      chain.flush().get(60, TimeUnit.SECONDS);
    }
    Files.copy(
        BlockStore.fileIn(dir),
        BlockStore.fileIn(other),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // when
    try (Lightchain chain =
        Lightchain.open(
            other, key, "truck-7", LightchainOptions.defaults(ORIGIN).withBlocks(50, 3_600_000))) {
      chain.flush().get(60, TimeUnit.SECONDS);
      // then
      assertThat(chain.failure()).isEmpty();
    }
    assertThat(Files.list(other.resolve("quarantine")).map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.startsWith("blocks.dat.") && n.endsWith(".diverged"));
    try (ChainReader reader = ChainReader.open(other)) {
      VerificationResult r = reader.verify(n -> {});
      assertThat(r.reason()).isEmpty();
      assertThat(r.entries()).isEqualTo(6); // 5 plus the loss entry
      assertThat(
              io.haulproof.lightchain.entry.EntryCodec.decode(
                      io.haulproof.lightchain.cose.CoseSign1.decode(reader.read(5)))
                  .kind()
                  .name())
          .isEqualTo("loss");
    }
  }

  @Test
  void verify_whileOpen_worksInProcessAndReaderIsLockedOut() throws Exception {
    try (Lightchain chain = open(4, 3_600_000)) {
      append(chain, 9, 1);
      chain.flush().get(60, TimeUnit.SECONDS);
      // when
      VerificationResult r = chain.verify(n -> {});
      // then
      assertThat(r.reason()).isEmpty();
      assertThat(r.entries()).isEqualTo(9);
      assertThat(r.blocks()).isEqualTo(3);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChainReader.open(dir))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("is in use");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Lightchain.open(dir, key, "truck-7", LightchainOptions.defaults(ORIGIN)))
          .hasMessageContaining("is in use");
    }
    try (ChainReader reader = ChainReader.open(dir)) {
      assertThat(reader.size()).isEqualTo(9);
    }
  }
}
