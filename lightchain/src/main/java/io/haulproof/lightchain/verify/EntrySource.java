package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;

/** Read access to a log's entries, in index order, for verification. */
public interface EntrySource {
  /** Entries in the log. */
  long size() throws IOException;

  /** The exact COSE_Sign1 bytes of entry {@code index}; precondition {@code 0 <= index < size()}. */
  Bytes read(long index) throws IOException;
}
