package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;

/**
 * The log a block describes, as the rules see it: its size, its RFC 9162 roots, its entries' exact
 * bytes, the keys entries may be signed with, and the sequence positions before the block.
 */
public interface BlockContext {
  /** Entries durably in the log. */
  long logSize() throws IOException;

  /** The RFC 9162 root at {@code treeSize}; precondition {@code treeSize <= logSize()}. */
  Hash rootAt(long treeSize) throws IOException;

  /** The exact COSE_Sign1 bytes of entry {@code index}; precondition {@code index < logSize()}. */
  Bytes entry(long index) throws IOException;

  /** The keys entries may be signed with, as of the start of the block. */
  EntryKeys keys();

  /** Per-device sequence positions as of the start of the block. */
  SequenceTracker sequences();
}
