package io.haulproof.lightchain;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code DATA/lightchain.lock}, held by whoever may change the data dir: a
 * running {@link Lightchain}, or a {@link ChainReader} (whose open runs the log's recovery). Two
 * writers on one log would corrupt it, so the second one fails fast with a clear message instead.
 */
final class DataDirLock implements Closeable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static Path file(Path dataDir) {
    return dataDir.resolve("lightchain.lock");
  }

  /**
   * Takes the lock.
   *
   * @throws IOException if another process or another open in this JVM holds it
   */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel ch =
        FileChannel.open(file(dataDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return lock(dataDir, ch, false);
  }

  /**
   * Takes a shared lock for a reader that changes nothing (a verifier): it fails while a writer
   * holds the exclusive lock, and opens the lock file for reading only, so it works on a read-only
   * disk; without a lock file (no writer ever ran here) there is nothing to lock.
   *
   * @throws IOException if a writer holds the lock
   */
  static DataDirLock shared(Path dataDir) throws IOException {
    Path f = file(dataDir);
    if (!Files.exists(f)) {
      return new DataDirLock(null, null);
    }
    return lock(dataDir, FileChannel.open(f, StandardOpenOption.READ), true);
  }

  /** Locks all of {@code ch}'s file, or closes it and says who is in the way. */
  private static DataDirLock lock(Path dataDir, FileChannel ch, boolean shared) throws IOException {
    FileLock l;
    try {
      l = ch.tryLock(0, Long.MAX_VALUE, shared);
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      throw new IOException(
          dataDir
              + " is in use ("
              + file(dataDir).getFileName()
              + " is locked): stop the agent, or verify a copy,"
              + " or use Lightchain.verify in the process that holds it");
    }
    return new DataDirLock(ch, l);
  }

  @Override
  public void close() throws IOException {
    if (channel == null) {
      return;
    }
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
