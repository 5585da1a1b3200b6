package io.haulproof.lightchain.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed tree: reopening, checkpoints, truncation and damaged files. */
class MerkleTreeStoreTest {
  @TempDir Path dir;

  private static Hash leaf(int i) {
    return Rfc9162.leafHash(Bytes.of((byte) i, (byte) (i >> 8), (byte) (i >> 16)));
  }

  private static MerkleTree memory(int n) {
    MerkleTree t = MerkleTree.inMemory();
    for (int i = 0; i < n; i++) {
      t.append(leaf(i));
    }
    return t;
  }

  @Test
  void open_afterCheckpoint_returnsSameSizeAndRoot() throws Exception {
    // given
    Path d = dir.resolve("t");
    try (MerkleTree t = MerkleTree.open(d)) {
      for (int i = 0; i < 1000; i++) {
        t.append(leaf(i));
      }
      t.checkpoint();
    }

    // when
    try (MerkleTree t = MerkleTree.open(d)) {
      // then
      assertThat(t.size()).isEqualTo(1000);
      assertThat(t.rebuilt()).isFalse();
      assertThat(t.root()).isEqualTo(memory(1000).root());
      assertThat(Files.getPosixFilePermissions(d.resolve("level-00.bin")))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
  }

  @Test
  void open_appendsAfterCheckpoint_cutsBackToCheckpointAndAcceptsReappend() throws Exception {
    // given
    Path d = dir.resolve("t");
    try (MerkleTree t = MerkleTree.open(d)) {
      for (int i = 0; i < 700; i++) {
        t.append(leaf(i));
      }
      t.checkpoint();
      for (int i = 700; i < 1300; i++) {
        t.append(leaf(i));
      }
    }

    // when
    try (MerkleTree t = MerkleTree.open(d)) {
      assertThat(t.size()).isEqualTo(700);
      for (int i = 700; i < 1500; i++) {
        t.append(leaf(i));
      }

      // then
      assertThat(t.root()).isEqualTo(memory(1500).root());
      assertThat(t.root(1000)).isEqualTo(memory(1000).root());
    }
  }

  @Test
  void open_damagedNodeFile_startsEmptyAndReportsRebuild() throws Exception {
    // given
    Path d = dir.resolve("t");
    try (MerkleTree t = MerkleTree.open(d)) {
      for (int i = 0; i < 1024; i++) {
        t.append(leaf(i));
      }
      t.checkpoint();
    }
    try (RandomAccessFile f = new RandomAccessFile(d.resolve("level-10.bin").toFile(), "rw")) {
      f.seek(5);
      f.write(f.read() ^ 0x40);
    }

    // when
    try (MerkleTree t = MerkleTree.open(d)) {
      // then
      assertThat(t.rebuilt()).isTrue();
      assertThat(t.size()).isZero();
    }
  }

  @Test
  void open_noCheckpoint_startsEmpty() throws Exception {
    Path d = dir.resolve("t");
    try (MerkleTree t = MerkleTree.open(d)) {
      t.append(leaf(1));
    }
    try (MerkleTree t = MerkleTree.open(d)) {
      assertThat(t.size()).isZero();
      assertThat(t.root()).isEqualTo(Rfc9162.emptyRoot());
    }
  }

  @Test
  void truncate_thenReappend_givesSameTree() throws Exception {
    try (MerkleTree t = MerkleTree.open(dir.resolve("t"))) {
      for (int i = 0; i < 600; i++) {
        t.append(leaf(i));
      }
      t.truncate(257);
      assertThat(t.root()).isEqualTo(memory(257).root());
      for (int i = 257; i < 600; i++) {
        t.append(leaf(i));
      }
      assertThat(t.root()).isEqualTo(memory(600).root());
    }
  }

  @Test
  void emptyRoot_isSha256OfEmptyString() {
    assertThat(Rfc9162.emptyRoot().toHex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
