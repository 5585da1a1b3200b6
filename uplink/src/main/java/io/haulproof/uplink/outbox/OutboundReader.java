package io.haulproof.uplink.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the entry at an index for sending; a record the log lost becomes a lost placeholder
 * carrying its leaf hash, so the ledger learns of the gap instead of the outbox stalling on it.
 */
final class OutboundReader {
  // Logs under Outbox, the category operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final EntrySource source;

  OutboundReader(EntrySource source) {
    this.source = source;
  }

  /**
   * The entry at {@code index}, or its lost placeholder.
   *
   * @throws RuntimeException if the log cannot be read (to be retried)
   */
  OutboundEntry read(long index) {
    try {
      return OutboundEntry.of(index, source.read(index));
    } catch (LostEntryException e) {
      LOG.debug("entry {} is lost from the log; sending a lost placeholder", index);
      return OutboundEntry.lost(index, e.leaf());
    }
  }
}
