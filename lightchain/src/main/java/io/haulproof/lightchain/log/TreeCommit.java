package io.haulproof.lightchain.log;

import io.haulproof.lightchain.merkle.MerkleTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The record log's batch hook: after a group's force returned and before its appends are
 * acknowledged, it appends the group's leaves to the Merkle tree (so an entry's index is its leaf
 * index), notes the group's last sequence number, and checkpoints the tree every {@code
 * checkpointEvery} leaves.
 */
final class TreeCommit {
  private final MerkleTree tree;
  private final long checkpointEvery;
  private long leavesSinceCheckpoint;
  private volatile long lastCommittedSeq;

  TreeCommit(MerkleTree tree, long checkpointEvery, long lastSeq) {
    this.tree = tree;
    this.checkpointEvery = checkpointEvery;
    this.lastCommittedSeq = lastSeq;
  }

  /**
   * On the writer thread, after force, in log order. Precondition: the tree holds exactly {@code
   * firstIndex} leaves, and every tag is a {@link Sequencer.Signed}.
   */
  void committed(long firstIndex, List<GroupWriter.Pending> group) {
    if (tree.size() != firstIndex) {
      throw new IllegalStateException("tree size " + tree.size() + ", want " + firstIndex);
    }
    for (GroupWriter.Pending p : group) {
      tree.append(((Sequencer.Signed) p.tag()).leaf());
    }
    lastCommittedSeq = ((Sequencer.Signed) group.get(group.size() - 1).tag()).seq();
    leavesSinceCheckpoint += group.size();
    if (leavesSinceCheckpoint >= checkpointEvery) {
      leavesSinceCheckpoint = 0;
      try {
        tree.checkpoint();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The highest durable sequence number; inside a commit listener, that group's last one. */
  long lastCommittedSeq() {
    return lastCommittedSeq;
  }
}
