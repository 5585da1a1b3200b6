package io.haulproof.lightchain.log;

import io.haulproof.lightchain.files.StorageCheck;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space the evidence log keeps on its file system: below it, appends are refused before
 * anything is signed or written, so no sequence number is used up, the Merkle tree, blocks and
 * checkpoints still have room, and the log takes appends again as soon as space is freed. Checked
 * once per append (one {@code statvfs}, far cheaper than the group's {@code force}).
 *
 * <p>A file system that reports a total size of 0 (a FUSE file system without {@code statfs}, such
 * as LazyFS) has no measurable free space: there the reserve is not checked, rather than refusing
 * every append. A full disk still fails the write itself, which the log handles as before.
 */
public final class DiskReserve {
  /** 4 MiB: room for the tree, blocks, checkpoints and state files a full log still writes. */
  public static final long DEFAULT_BYTES = 4L << 20;

  private final FileStore store;
  private final Path dir;
  private final long bytes;

  private DiskReserve(FileStore store, Path dir, long bytes) {
    this.store = store;
    this.dir = dir;
    this.bytes = bytes;
  }

  /** The reserve of {@code bytes} on the file system holding {@code dir}. */
  public static DiskReserve of(Path dir, long bytes) throws IOException {
    if (bytes < 0) {
      throw new IllegalArgumentException("reserve " + bytes + " bytes, want >= 0");
    }
    return new DiskReserve(Files.getFileStore(dir), dir, bytes);
  }

  /** Throws {@link LogFullException} if less than the reserve is free now. */
  public void check() throws LogFullException {
    boolean full;
    try {
      full = StorageCheck.below(store, bytes);
    } catch (IOException e) {
      throw new LogFullException(dir + ": cannot read the free space: " + e.getMessage());
    }
    if (full) {
      throw new LogFullException(
          dir + " is below the evidence log's reserve of " + bytes + " free bytes");
    }
  }

  /** An append refused because the disk is (nearly) full; retrying later may succeed. */
  public static final class LogFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogFullException(String message) {
      super(message);
    }
  }
}
