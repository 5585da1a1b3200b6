package io.haulproof.lightchain.files;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.Objects;

/**
 * Whether a data directory can take more durable writes now: its file system is mounted read-write
 * and has at least a reserve of usable bytes. Writers refuse new evidence before the disk refuses
 * them, so a full disk or an SD card gone read-only never tears a write.
 *
 * <p>Each {@link #check()} asks the kernel afresh (mount flags, statvfs, and an empty probe file
 * created and deleted); it is cheap but blocking, so call it off event loops.
 */
public final class StorageCheck {
  /** Room for a full group commit (1 MiB buffer), a block, a checkpoint and the small files. */
  public static final long DEFAULT_RESERVE_BYTES = 4L << 20;

  /** The probe file {@link #check()} creates and deletes in the directory. */
  public static final String PROBE = ".write-probe";

  private final Path dir;
  private final long reserveBytes;

  public StorageCheck(Path dir, long reserveBytes) {
    this.dir = Objects.requireNonNull(dir, "dir");
    if (reserveBytes < 0) {
      throw new IllegalArgumentException("reserveBytes " + reserveBytes + " < 0");
    }
    this.reserveBytes = reserveBytes;
  }

  /**
   * Whether {@code store} has less than {@code bytes} usable now; false on a file system that
   * reports a total size of 0 (FUSE without {@code statfs}, such as LazyFS: nothing to measure).
   * The one free-space rule, also behind the evidence log's {@code DiskReserve}.
   */
  public static boolean below(FileStore store, long bytes) throws IOException {
    return store.getTotalSpace() != 0 && store.getUsableSpace() < bytes;
  }

  /** The directory checked. */
  public Path dir() {
    return dir;
  }

  /** The state now; never throws (an unreadable file system is not writable, with the reason). */
  public Writability check() {
    try {
      // A fresh FileStore each time: the JDK reads the mount flags when it is created.
      FileStore store = Files.getFileStore(dir);
      long usable = store.getUsableSpace();
      if (store.isReadOnly()) {
        return new Writability(false, "read-only file system under " + dir, usable);
      }
      // the probe below still catches a file system without sizes that refuses writes
      if (below(store, reserveBytes)) {
        return new Writability(
            false,
            "disk full under " + dir + ": " + usable + " bytes free, need " + reserveBytes,
            usable);
      }
      probe();
      return new Writability(true, usable + " bytes free under " + dir, usable);
    } catch (ReadOnlyFileSystemException | java.nio.file.FileSystemException e) {
      return new Writability(
          false, "cannot write under " + dir + ": " + reasonOf(e), usableQuietly());
    } catch (IOException | RuntimeException e) {
      return new Writability(false, "cannot check " + dir + ": " + e, 0);
    }
  }

  /**
   * Creates and deletes an empty file: the mount flags do not show every read-only state (ext4's
   * {@code errors=remount-ro} after an SD card error leaves them "rw", with {@code emergency_ro}),
   * but a create fails with EROFS. Metadata only, no data and no fsync, so it costs the card
   * little.
   */
  private void probe() throws IOException {
    Path p = dir.resolve(PROBE);
    Files.deleteIfExists(p);
    Files.createFile(p);
    Files.delete(p);
  }

  private long usableQuietly() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String reasonOf(Exception e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.toString();
  }

  /**
   * One result of {@link #check()}.
   *
   * @param writable new evidence can be written durably
   * @param reason what was found, in a few words (why not, when not writable)
   * @param usableBytes bytes usable by this process, 0 if unknown
   */
  public record Writability(boolean writable, String reason, long usableBytes) {
    public Writability {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
