package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;

/** Read access to the stored hashes of complete, aligned subtrees of a Merkle tree. */
public interface NodeReader {
  /** The number of leaves currently stored. */
  long size();

  /**
   * The hash of the complete subtree of {@code 2^level} leaves starting at leaf {@code index <<
   * level}.
   *
   * <p>Preconditions: {@code 0 <= level < 63} and {@code (index + 1) << level <= size()}.
   */
  Hash node(int level, long index);
}
