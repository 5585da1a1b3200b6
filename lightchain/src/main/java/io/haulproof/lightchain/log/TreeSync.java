package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.IOException;

/**
 * Brings the derived Merkle tree in line with the record log at open.
 *
 * <p>The log is the truth. A tree behind the log is extended from the log; a tree whose last leaf
 * disagrees with the log is rebuilt from scratch. A tree ahead of the log means committed records
 * vanished from the end of the log (a deleted or cut segment): the caller is told, so it can log a
 * {@code loss} entry, and the tree is cut back. A lost record whose leaf hash the tree does not
 * already hold enters the tree as {@link #LOST_LEAF}, the leaf hash of the empty string, which no
 * COSE entry can have.
 */
public final class TreeSync {
  public static final Hash LOST_LEAF = Rfc9162.leafHash(Bytes.EMPTY);

  private TreeSync() {}

  /**
   * How far the tree reaches beyond the log, if the tree agrees with the log where both have
   * leaves: the log must then be reopened with that size as its minimum next index. Returns the
   * log's size otherwise.
   */
  public static long reach(MerkleTree tree, SegmentedLog records) throws IOException {
    long logSize = records.size();
    if (tree.size() <= logSize) {
      return logSize;
    }
    if (logSize == 0 || records.isLost(logSize - 1)) {
      return tree.size();
    }
    try {
      return Rfc9162.leafHash(records.read(logSize - 1)).equals(tree.leafHash(logSize - 1))
          ? tree.size()
          : logSize;
    } catch (LostRecordException e) {
      return logSize;
    }
  }

  /**
   * Makes the tree hold exactly one leaf per log index; returns how many leaves it had beyond the
   * log.
   */
  public static long reconcile(MerkleTree tree, SegmentedLog records) throws IOException {
    long logSize = records.size();
    long ahead = Math.max(0, tree.size() - logSize);
    if (ahead > 0) {
      tree.truncate(logSize);
    }
    long n = tree.size();
    if (n > 0 && !records.isLost(n - 1)) {
      Hash want;
      try {
        want = Rfc9162.leafHash(records.read(n - 1));
      } catch (LostRecordException e) {
        want = null;
      }
      if (want != null && !want.equals(tree.leafHash(n - 1))) {
        tree.truncate(0);
      }
    }
    LogCursor c = records.cursor(tree.size());
    for (LogRecord r = c.next(); r != null; r = c.next()) {
      while (tree.size() < r.index()) {
        tree.append(LOST_LEAF);
      }
      tree.append(Rfc9162.leafHash(r.payload()));
    }
    while (tree.size() < logSize) {
      tree.append(LOST_LEAF);
    }
    tree.checkpoint();
    return ahead;
  }
}
