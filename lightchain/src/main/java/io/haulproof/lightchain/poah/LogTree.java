package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;

/**
 * The log a block describes, as its tree: how many entries it holds and its RFC 9162 roots. What
 * the range and root rules read.
 */
public interface LogTree {
  /** Entries durably in the log. */
  long logSize() throws IOException;

  /** The RFC 9162 root at {@code treeSize}; precondition {@code treeSize <= logSize()}. */
  Hash rootAt(long treeSize) throws IOException;
}
