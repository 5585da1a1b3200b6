package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Leaf hashes read from a stored tree's leaf file ({@code level-00.bin}) without opening the tree:
 * nothing is created, cut or written, so a read-only verifier can use it. The hashes are not
 * checked here; {@code chain verify} uses one only for an entry lost from the log, where the signed
 * roots over it decide.
 */
public final class StoredLeaves implements Closeable {
  private final FileChannel leaves;

  private StoredLeaves(FileChannel leaves) {
    this.leaves = leaves;
  }

  /** Opens the leaf file of the tree in {@code dir}; one with no leaves if there is none. */
  public static StoredLeaves open(Path dir) throws IOException {
    Path p = dir.resolve("level-00.bin");
    return new StoredLeaves(
        Files.isRegularFile(p) ? FileChannel.open(p, StandardOpenOption.READ) : null);
  }

  /** The stored leaf hash of {@code index}, or empty if the file does not reach it. */
  public Optional<Hash> leafHash(long index) throws IOException {
    if (leaves == null || index < 0 || leaves.size() < (index + 1) * Hash.SIZE) {
      return Optional.empty();
    }
    ByteBuffer bb = ByteBuffer.allocate(Hash.SIZE);
    while (bb.hasRemaining()) {
      if (leaves.read(bb, index * Hash.SIZE + bb.position()) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(Hash.wrap(bb.array()));
  }

  @Override
  public void close() throws IOException {
    if (leaves != null) {
      leaves.close();
    }
  }
}
