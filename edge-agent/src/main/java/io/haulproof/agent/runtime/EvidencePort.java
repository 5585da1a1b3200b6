package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.CollectionEvent;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * The evidence log as the runtime uses it: ordered durable appends, block cutting and checkpoints.
 * Implemented over lightchain's facade by {@code LightchainEvidence}; the runtime calls blocking
 * methods only off the event loop.
 */
public interface EvidencePort {
  /**
   * Signs and appends a collection event; the stage completes once the entry is durable (after the
   * group commit's {@code force}). Called by the single log writer, in order.
   */
  CompletionStage<Appended> append(CollectionEvent event);

  /**
   * Signs and appends another kind of entry (a source-signed smart-bin reading, say); completes
   * once durable. The log sequences concurrent appends itself.
   */
  CompletionStage<Appended> appendBody(io.haulproof.lightchain.entry.EntryBody body);

  /**
   * Blocking: cuts and authenticates a block when it is due (N entries or T ms), or any pending one
   * if forced.
   */
  int cutBlocks(boolean force) throws Exception;

  /**
   * Blocking: signs a checkpoint if the tree grew since the last one; the new tree size, or empty.
   */
  OptionalLong checkpoint() throws Exception;

  /**
   * Blocking: every readable {@code reading} entry in the log, oldest first; state derived from the
   * log (the smart-bin replay counters) is rebuilt from it at start.
   */
  void forEachReading(java.util.function.Consumer<io.haulproof.lightchain.entry.ReadingBody> action)
      throws Exception;

  /**
   * What the log found lost when it opened (a truncated tail, a deleted segment, damage), one line
   * per signed {@code loss} entry it appended; empty if nothing.
   */
  default java.util.List<String> lossesAtOpen() {
    return java.util.List.of();
  }

  /**
   * The directory the log writes to, for the full-disk and read-only checks; empty for a log that
   * is not on disk.
   */
  default java.util.Optional<java.nio.file.Path> dataDir() {
    return java.util.Optional.empty();
  }

  /** Current figures; cheap and thread-safe. */
  ChainStats stats();

  /** Blocking: flushes and closes the log. */
  void close() throws Exception;

  /**
   * Where an entry landed.
   *
   * @param index position in the log (leaf index of the Merkle tree), from 0
   * @param seq the per-device sequence number, from 1
   */
  record Appended(long index, long seq) {}
}
