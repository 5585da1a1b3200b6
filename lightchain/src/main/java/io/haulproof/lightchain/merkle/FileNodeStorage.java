package io.haulproof.lightchain.merkle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Node hashes in one append-only file per level ({@code level-NN.bin}), each hash in a fixed
 * 32-byte slot.
 *
 * <p>Hash {@code i} of level {@code l} sits at byte {@code 32 * i} of file {@code l}, so any node
 * costs one positional read. Appends are buffered per level ({@value #BUFFER_SLOTS} slots, like a
 * Tessera tile) and written when a buffer fills or on {@link #sync()}; reads see buffered hashes
 * too. Durability is not needed per append: the tree is derived from the evidence log and its tail
 * is re-derived on open (see {@link MerkleTree#open}).
 */
final class FileNodeStorage implements NodeStorage {
  static final int BUFFER_SLOTS = 256;
  private static final int MAX_LEVELS = 64;

  private final Path dir;
  private final Level[] levels = new Level[MAX_LEVELS];

  private FileNodeStorage(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens the level files in {@code dir}, creating it (mode 0700) if needed; partial trailing slots
   * are ignored.
   */
  static FileNodeStorage open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    FileNodeStorage s = new FileNodeStorage(dir);
    for (int l = 0; l < MAX_LEVELS; l++) {
      Path p = s.path(l);
      if (!Files.exists(p)) {
        break;
      }
      s.levels[l] = new Level(p);
    }
    return s;
  }

  private Path path(int level) {
    return dir.resolve(String.format("level-%02d.bin", level));
  }

  private Level level(int l) throws IOException {
    if (levels[l] == null) {
      levels[l] = new Level(path(l));
    }
    return levels[l];
  }

  @Override
  public long count(int level) {
    Level lv = levels[level];
    return lv == null ? 0 : lv.count();
  }

  @Override
  public void append(int level, byte[] hash) throws IOException {
    level(level).append(hash);
  }

  @Override
  public byte[] read(int level, long index) throws IOException {
    return levels[level].read(index);
  }

  @Override
  public void truncate(long[] counts) throws IOException {
    for (int l = 0; l < MAX_LEVELS; l++) {
      if (levels[l] != null) {
        levels[l].truncate(l < counts.length ? counts[l] : 0);
      }
    }
  }

  @Override
  public void sync() throws IOException {
    for (Level lv : levels) {
      if (lv != null) {
        lv.flush();
        lv.channel.force(false);
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Level lv : levels) {
      if (lv != null) {
        // The channel is closed even when the flush fails (a read-only or full disk), or its
        // file stays open and the file system cannot be unmounted.
        try (var ch = lv.channel) {
          lv.flush();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** One level file plus its in-memory tail. */
  private static final class Level {
    final FileChannel channel;
    long written;
    final byte[] buffer = new byte[BUFFER_SLOTS * 32];
    int buffered;

    Level(Path p) throws IOException {
      channel =
          FileChannel.open(
              p,
              Files.exists(p)
                  ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                  : new StandardOpenOption[] {
                    StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW
                  });
      if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
      }
      written = channel.size() / 32;
    }

    long count() {
      return written + buffered;
    }

    void append(byte[] hash) throws IOException {
      System.arraycopy(hash, 0, buffer, buffered * 32, 32);
      buffered++;
      if (buffered == BUFFER_SLOTS) {
        flush();
      }
    }

    byte[] read(long index) {
      if (index >= written) {
        int off = Math.toIntExact((index - written) * 32);
        return Arrays.copyOfRange(buffer, off, off + 32);
      }
      byte[] out = new byte[32];
      ByteBuffer bb = ByteBuffer.wrap(out);
      long pos = index * 32;
      try {
        while (bb.hasRemaining()) {
          int n = channel.read(bb, pos + bb.position());
          if (n < 0) {
            throw new IOException("level file ends before slot " + index);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }

    void flush() throws IOException {
      if (buffered == 0) {
        return;
      }
      ByteBuffer bb = ByteBuffer.wrap(buffer, 0, buffered * 32);
      long pos = written * 32;
      while (bb.hasRemaining()) {
        pos += channel.write(bb, pos);
      }
      written += buffered;
      buffered = 0;
    }

    void truncate(long count) throws IOException {
      flush();
      if (count < written || channel.size() != written * 32) {
        written = Math.min(written, count);
        channel.truncate(written * 32);
      }
    }
  }
}
