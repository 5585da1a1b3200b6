package io.haulproof.lightchain.log;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The boot epoch, kept in {@code DATA/boot-epoch} as decimal text and advanced durably (temp file,
 * fsync, atomic rename, directory fsync) at each open.
 */
final class BootState {
  static final String FILE = "boot-epoch";

  private BootState() {}

  /**
   * Advances the epoch past both the stored value and the highest epoch seen in the log, stores it
   * and returns it. An unreadable file counts as absent: the log still guarantees a fresh epoch.
   */
  static long advance(Path dataDir, long highestInLog) throws IOException {
    Path f = dataDir.resolve(FILE);
    long stored = -1;
    if (Files.exists(f)) {
      try {
        stored = Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip());
      } catch (NumberFormatException e) {
        System.getLogger(BootState.class.getName())
            .log(
                System.Logger.Level.WARNING,
                "unreadable " + f + ", continuing from the log's epoch");
      }
    }
    long next = Math.max(stored, highestInLog) + 1;
    DurableFiles.write(f, (next + "\n").getBytes(StandardCharsets.US_ASCII));
    return next;
  }
}
