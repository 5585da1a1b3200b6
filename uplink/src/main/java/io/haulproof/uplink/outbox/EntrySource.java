package io.haulproof.uplink.outbox;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.function.LongConsumer;

/**
 * The evidence log as the outbox sees it: a growing sequence of durable entries, each the exact
 * COSE_Sign1 bytes.
 *
 * <p>The outbox is a cursor over this, never a second copy (DESIGN.md "Uplink").
 */
public interface EntrySource {
  /** The number of durable (acknowledged) entries; entries {@code 0..size()-1} can be read. */
  long size();

  /**
   * The exact COSE_Sign1 bytes of entry {@code index}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
   * @throws LostEntryException if the log lost that record (quarantined); the outbox sends a {@code
   *     kind=lost} placeholder for it
   */
  Bytes read(long index);

  /**
   * Registers a listener told the new size after each durable group commit; it must only hand work
   * off.
   */
  void onCommit(LongConsumer newSize);
}
