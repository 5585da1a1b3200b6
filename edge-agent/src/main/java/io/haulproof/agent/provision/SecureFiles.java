package io.haulproof.agent.provision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe file writes (temp file, fsync, rename, fsync of the directory) with owner-only
 * permissions.
 *
 * <p>Security guarantees: files written with {@link #writeSecret} are created mode 0600 before any
 * byte is written, so a secret is never readable by another user, not even briefly. A reader sees
 * either the old or the new contents of a file, never a mix, even after a power cut.
 */
public final class SecureFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OWNER_RW =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_RWX =
      PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /** Atomically replaces {@code target} with {@code data}, mode 0600. */
  public static void writeSecret(Path target, byte[] data) throws IOException {
    write(target, data);
  }

  /**
   * Atomically replaces {@code target} with {@code data}; the file is owner-only (0600) as well.
   */
  public static void write(Path target, byte[] data) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    createPrivateDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (POSIX) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_RW));
    } else {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("the file system under " + dir + " cannot rename atomically", e);
    }
    syncDirectory(dir);
  }

  /** Creates {@code dir} and missing parents; directories this call creates are mode 0700. */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    if (POSIX) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
    } else {
      Files.createDirectory(dir);
    }
  }

  /** Makes a rename or a file creation in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    if (!POSIX) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The POSIX permission string of {@code file}, e.g. "rw-------", for checks and tests. */
  public static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
