package io.haulproof.authenticator.node;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.poah.BlockContext;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.SequenceTracker;
import java.io.IOException;
import java.util.List;

/**
 * A proposal as the PoAh rules see it: the log is the chain up to the last authenticated block (of
 * which only the compact range is known) followed by the proposal's entries.
 */
final class ProposalContext implements BlockContext {
  private final ChainState state;
  private final List<Bytes> entries;
  private final EntryKeys keys;
  private final SequenceTracker sequences;
  private Hash root;

  ProposalContext(ChainState state, List<Bytes> entries) {
    this.state = state;
    this.entries = entries;
    this.keys = state.entryKeys();
    this.sequences = state.sequences();
  }

  @Override
  public long logSize() {
    return state.range().size() + entries.size();
  }

  @Override
  public Hash rootAt(long treeSize) throws IOException {
    if (treeSize != logSize()) {
      throw new IOException(
          "an authenticator knows the root at " + logSize() + " only, not at " + treeSize);
    }
    if (root == null) {
      root = state.range().append(entries).root();
    }
    return root;
  }

  @Override
  public Bytes entry(long index) throws IOException {
    long i = index - state.range().size();
    if (i < 0 || i >= entries.size()) {
      throw new IOException("entry " + index + " is not in the proposal");
    }
    return entries.get((int) i);
  }

  @Override
  public EntryKeys keys() {
    return keys;
  }

  @Override
  public SequenceTracker sequences() {
    return sequences;
  }
}
