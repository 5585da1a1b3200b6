package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;

/** Read access to a log's entries, in index order, for verification. */
public interface EntrySource {
  /** Entries in the log. */
  long size() throws IOException;

  /**
   * The exact COSE_Sign1 bytes of entry {@code index}; precondition {@code 0 <= index < size()}.
   */
  Bytes read(long index) throws IOException;

  /**
   * Reads entries {@code [from, from + out.length)} into {@code out}; sources with a sequential
   * reader override this. Called from one thread at a time, with increasing {@code from}.
   */
  default void readRange(long from, Bytes[] out) throws IOException {
    for (int i = 0; i < out.length; i++) {
      out[i] = read(from + i);
    }
  }
}
