package io.haulproof.lightchain.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for targets that write files: on {@code /dev/shm} when there is one, so that
 * the fsyncs the storage code does cost microseconds and the fuzzer runs thousands of inputs per
 * second instead of tens (the storage code is the same; only the device differs).
 */
public final class FuzzFiles {
  private static final Path SHM = Path.of("/dev/shm");

  private FuzzFiles() {}

  public static Path tempDir(String prefix) throws IOException {
    return Files.isDirectory(SHM) && Files.isWritable(SHM)
        ? Files.createTempDirectory(SHM, prefix)
        : Files.createTempDirectory(prefix);
  }

  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
