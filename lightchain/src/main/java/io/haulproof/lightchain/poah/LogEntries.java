package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;

/**
 * The log a block describes, as its entries: their exact bytes, with the keys and sequence
 * positions as of the start of the block. What the entry signature and sequence rules read.
 */
public interface LogEntries {
  /** Entries durably in the log. */
  long logSize() throws IOException;

  /** The exact COSE_Sign1 bytes of entry {@code index}; precondition {@code index < logSize()}. */
  Bytes entry(long index) throws IOException;

  /** The keys entries may be signed with, as of the start of the block. */
  EntryKeys keys();

  /** Per-device sequence positions as of the start of the block. */
  SequenceTracker sequences();
}
