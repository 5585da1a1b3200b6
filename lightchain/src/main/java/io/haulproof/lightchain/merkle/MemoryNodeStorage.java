package io.haulproof.lightchain.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Node hashes held in memory, for short-lived trees (the CLI, verification, tests). */
final class MemoryNodeStorage implements NodeStorage {
  private final List<byte[]> levels = new ArrayList<>();
  private final long[] counts = new long[64];

  @Override
  public long count(int level) {
    return counts[level];
  }

  @Override
  public void append(int level, byte[] hash) {
    while (levels.size() <= level) {
      levels.add(new byte[32 * 16]);
    }
    byte[] arr = levels.get(level);
    int pos = Math.toIntExact(counts[level] * 32);
    if (pos + 32 > arr.length) {
      arr = Arrays.copyOf(arr, Math.toIntExact(Math.min(Integer.MAX_VALUE - 64, 2L * arr.length)));
      levels.set(level, arr);
    }
    System.arraycopy(hash, 0, arr, pos, 32);
    counts[level]++;
  }

  @Override
  public byte[] read(int level, long index) {
    int pos = Math.toIntExact(index * 32);
    return Arrays.copyOfRange(levels.get(level), pos, pos + 32);
  }

  @Override
  public void truncate(long[] newCounts) {
    for (int l = 0; l < counts.length; l++) {
      counts[l] = Math.min(counts[l], l < newCounts.length ? newCounts[l] : 0);
    }
  }

  @Override
  public void sync() {}

  @Override
  public void close() {}
}
