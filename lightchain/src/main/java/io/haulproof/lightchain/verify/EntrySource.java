package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.IOException;

/** Read access to a log's entries, in index order, for verification. */
public interface EntrySource {
  /**
   * The leaf hash that a log's tree holds for an entry it never had the bytes of: the leaf hash of
   * the empty string, which no COSE entry can have (the writer's {@code TreeSync.LOST_LEAF}).
   */
  Hash LOST_LEAF = Rfc9162.leafHash(Bytes.EMPTY);

  /** Entries in the log (lost ones included). */
  long size() throws IOException;

  /**
   * The exact COSE_Sign1 bytes of entry {@code index}; precondition {@code 0 <= index < size()} and
   * not {@link #isLost}.
   */
  Bytes read(long index) throws IOException;

  /** True if entry {@code index} was lost to damage (its bytes are quarantined, not in the log). */
  default boolean isLost(long index) throws IOException {
    return false;
  }

  /**
   * The leaf hash that the log's stored tree kept for the lost entry {@code index}, or {@link
   * #LOST_LEAF} if it has none. Unverified on its own: the verifier trusts it only as far as the
   * signed block roots and checkpoint over it recompute.
   */
  default Hash lostLeafHash(long index) throws IOException {
    return LOST_LEAF;
  }

  /**
   * Reads entries {@code [from, from + out.length)} into {@code out}, {@code null} for a lost one;
   * sources with a sequential reader override this. Called from one thread at a time, with
   * increasing {@code from}.
   */
  default void readRange(long from, Bytes[] out) throws IOException {
    for (int i = 0; i < out.length; i++) {
      out[i] = isLost(from + i) ? null : read(from + i);
    }
  }
}
