package io.haulproof.lightchain.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The implementation behind {@link DurableFiles}, with the channel opener as a seam so that a test
 * can observe which files and directories are forced, and when.
 */
final class DurableWriter {
  /** Opens file channels; the real one is {@link FileChannel#open(Path, Set, FileAttribute[])}. */
  @FunctionalInterface
  interface Disk {
    FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
        throws IOException;
  }

  static final Disk REAL_DISK = FileChannel::open;

  private final Disk disk;

  DurableWriter(Disk disk) {
    this.disk = Objects.requireNonNull(disk, "disk");
  }

  void write(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    Objects.requireNonNull(content, "content");
    replace(
        file,
        mode,
        ch -> {
          ByteBuffer buf = ByteBuffer.wrap(content);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        });
  }

  void copy(Path source, Path target, Set<PosixFilePermission> mode) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      replace(
          target,
          mode,
          ch -> {
            long size = in.size();
            for (long at = 0; at < size; ) {
              long n = ch.transferFrom(in, at, size - at);
              if (n <= 0) {
                throw new IOException(
                    "copy of " + source + " stopped at byte " + at + " of " + size);
              }
              at += n;
            }
          });
    }
  }

  /** Fills the temp file beside {@code file}. */
  @FunctionalInterface
  private interface Filler {
    void fill(FileChannel ch) throws IOException;
  }

  private void replace(Path file, Set<PosixFilePermission> mode, Filler filler) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    // A temp file left by a crash is stale by definition: the target still holds the last
    // complete write.
    Files.deleteIfExists(tmp);
    try (FileChannel ch =
        disk.open(
            tmp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(mode))) {
      // The umask may have narrowed the mode at creation; set it exactly.
      Files.setPosixFilePermissions(tmp, mode);
      filler.fill(ch);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("the file system under " + dir + " cannot rename atomically", e);
    }
    syncDirectory(dir);
  }

  Path createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return dir;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DurableFiles.OWNER_DIR));
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(abs)) {
        return dir; // created meanwhile by another writer
      }
      throw e;
    }
    Files.setPosixFilePermissions(abs, DurableFiles.OWNER_DIR);
    if (parent != null) {
      syncDirectory(parent);
    }
    return dir;
  }

  void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = disk.open(dir, Set.of(StandardOpenOption.READ))) {
      d.force(true);
    }
  }
}
