package io.haulproof.lightchain.files;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one durable small-file write of the project: every state, key and config file is replaced
 * through {@link #write}, which writes a temp file, fsyncs it, renames it over the target and
 * fsyncs the directory.
 *
 * <p>Security guarantees: the temp file is created with its final mode (0600 unless a caller asks
 * for the public 0644) before any byte is written, so a secret is never readable by another user,
 * not even briefly; directories this class creates are 0700.
 *
 * <p>Durability guarantees: once {@link #write} returns, the new contents survive a power cut; if
 * power fails during the call, a reader finds either the complete old or the complete new contents,
 * never a mix or an empty file. A file system that cannot rename atomically is an error, never a
 * silent downgrade.
 */
public final class DurableFiles {
  /** Owner read/write only (0600): the default for every state, key and config file. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Owner read/write, everyone read (0644): only for public keys meant to be handed out. */
  public static final Set<PosixFilePermission> PUBLIC_READ =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Owner-only directories (0700). */
  public static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  private static final DurableWriter WRITER = new DurableWriter(DurableWriter.REAL_DISK);

  private DurableFiles() {}

  /** Durably replaces {@code file} with {@code content}, mode 0600; creates missing parents. */
  public static void write(Path file, byte[] content) throws IOException {
    WRITER.write(file, content, OWNER_ONLY);
  }

  /** Durably replaces {@code file} with {@code content}, with exactly the mode {@code mode}. */
  public static void write(Path file, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    WRITER.write(file, content, mode);
  }

  /**
   * Durably copies {@code source} to {@code target} (mode 0600), for example a damaged file into
   * quarantine before it is cut back: once this returns the copy survives a power cut, and a cut
   * during the call leaves no partial copy under the target name.
   */
  public static void copy(Path source, Path target) throws IOException {
    WRITER.copy(source, target, OWNER_ONLY);
  }

  /**
   * Creates {@code dir} and its missing parents, each new one mode 0700 and made durable by an
   * fsync of its parent; returns {@code dir}.
   */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    return WRITER.createDirectories(dir);
  }

  /** Makes a rename, creation or deletion in {@code dir} durable (fsync of the directory). */
  public static void syncDirectory(Path dir) throws IOException {
    WRITER.syncDirectory(dir);
  }
}
