package io.haulproof.uplink.outbox;

import io.haulproof.lightchain.bytes.Hash;
import java.util.Objects;

/**
 * Thrown by {@link EntrySource#read} for an index whose record the log lost (quarantined): the
 * outbox then sends a {@code kind=lost} placeholder instead of the entry, so delivery goes on.
 */
public final class LostEntryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long index;
  private final transient Hash leaf;

  /**
   * @param leaf the leaf hash the device's Merkle tree holds for {@code index} ({@code
   *     TreeSync.LOST_LEAF} if it never knew it)
   */
  public LostEntryException(long index, Hash leaf, Throwable cause) {
    super("entry " + index + " is lost from the log", cause);
    this.index = index;
    this.leaf = Objects.requireNonNull(leaf, "leaf");
  }

  public long index() {
    return index;
  }

  public Hash leaf() {
    return leaf;
  }
}
