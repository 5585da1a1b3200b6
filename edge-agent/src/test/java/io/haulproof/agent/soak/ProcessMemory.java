package io.haulproof.agent.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples this JVM's live heap (used heap right after a full collection) and its resident set from
 * {@code /proc/self/status}: anonymous memory (heap, metaspace, thread stacks, direct buffers) and
 * file-backed pages (mapped log segments, which the kernel may drop at will) separately.
 */
final class ProcessMemory {
  /** One sample, in bytes, {@code atMs} after the soak started. */
  record Sample(long atMs, long heapAfterGc, long rssAnon, long rssFile) {}

  private final List<Sample> samples = new ArrayList<>();

  Sample sample(long atMs) throws IOException {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long anon = 0;
    long file = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssAnon:")) {
        anon = kib(line);
      } else if (line.startsWith("RssFile:")) {
        file = kib(line);
      }
    }
    Sample s = new Sample(atMs, heap, anon, file);
    samples.add(s);
    return s;
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The largest value of {@code field} over the samples taken at or after {@code fromMs}. */
  long maxFrom(long fromMs, java.util.function.ToLongFunction<Sample> field) {
    return samples.stream().filter(s -> s.atMs() >= fromMs).mapToLong(field).max().orElse(0);
  }

  /** The first sample taken at or after {@code fromMs}. */
  Sample firstFrom(long fromMs) {
    return samples.stream()
        .filter(s -> s.atMs() >= fromMs)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no sample after " + fromMs + " ms"));
  }
}
