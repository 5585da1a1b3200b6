package io.haulproof.lightchain.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes files atomically and durably with a given mode, and checks that secret files are not
 * exposed.
 */
final class SecretFiles {
  static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");
  static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private SecretFiles() {}

  /** Creates {@code dir} (mode 0700 when new) and its parents. */
  static void createDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, OWNER_DIR);
    }
  }

  /**
   * Writes {@code data} to {@code file} with mode {@code perms}: a temp file created with those
   * permissions (never briefly world-readable), forced to disk, renamed over the target, and the
   * directory forced.
   */
  static void writeAtomically(Path file, byte[] data, Set<PosixFilePermission> perms)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(perms));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    // The umask may have narrowed the mode at creation; set it exactly.
    Files.setPosixFilePermissions(tmp, perms);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * Checks that a secret file is readable by its owner only.
   *
   * @throws KeyStoreException naming the actual and wanted mode if group or others have any access
   */
  static void requireOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
    EnumSet<PosixFilePermission> exposed = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission x : p) {
      if (!x.name().startsWith("OWNER_")) {
        exposed.add(x);
      }
    }
    if (!exposed.isEmpty()) {
      throw new KeyStoreException(
          file
              + " has mode "
              + PosixFilePermissions.toString(p)
              + ", want rw------- (0600): refusing to use it");
    }
  }
}
