package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The last durable size and root of a stored tree, in a 44-byte file {@code tree.head}: size (8),
 * root (32), CRC32C (4).
 *
 * <p>Written with temp file, fsync, atomic rename and directory fsync, so a crash leaves the old or
 * the new head.
 */
record TreeHead(long size, Hash root) {
  static final String FILE = "tree.head";
  private static final int LENGTH = 8 + 32 + 4;

  TreeHead {
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size " + size);
    }
  }

  /** Reads the head; empty if absent, too short or failing its CRC (the caller then rebuilds). */
  static Optional<TreeHead> read(Path dir) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (b.length != LENGTH) {
      return Optional.empty();
    }
    CRC32C crc = new CRC32C();
    crc.update(b, 0, LENGTH - 4);
    ByteBuffer bb = ByteBuffer.wrap(b);
    long size = bb.getLong(0);
    if ((int) crc.getValue() != bb.getInt(LENGTH - 4) || size < 0) {
      return Optional.empty();
    }
    return Optional.of(new TreeHead(size, Hash.of(Arrays.copyOfRange(b, 8, 40))));
  }

  void write(Path dir) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(LENGTH);
    bb.putLong(size);
    bb.put(root.toByteArray());
    CRC32C crc = new CRC32C();
    crc.update(bb.array(), 0, LENGTH - 4);
    bb.putInt((int) crc.getValue());
    DurableFiles.write(dir.resolve(FILE), bb.array());
  }
}
