package io.haulproof.lightchain.merkle;

import java.io.Closeable;
import java.io.IOException;

/** Append-only arrays of 32-byte node hashes, one per tree level; level 0 holds the leaf hashes. */
interface NodeStorage extends Closeable {
  /** The number of hashes stored at {@code level}. */
  long count(int level);

  /** Appends a 32-byte hash at the end of {@code level}. */
  void append(int level, byte[] hash) throws IOException;

  /** Reads hash {@code index} of {@code level}; {@code index < count(level)}. */
  byte[] read(int level, long index) throws IOException;

  /**
   * Cuts every level {@code l} down to {@code counts[l]} hashes (and levels beyond the array to
   * none).
   */
  void truncate(long[] counts) throws IOException;

  /** Makes everything appended so far durable. */
  void sync() throws IOException;
}
