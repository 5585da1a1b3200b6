package io.haulproof.agent.runtime;

import java.time.Instant;

/**
 * Figures of the evidence log for health, metrics and the status page.
 *
 * @param treeSize entries in the log
 * @param blocks authenticated blocks
 * @param checkpoints signed checkpoints
 * @param lastCheckpoint when the last checkpoint was signed, or null
 * @param quarantined segments quarantined since the log was opened
 */
public record ChainStats(
    long treeSize, long blocks, long checkpoints, Instant lastCheckpoint, long quarantined) {
  public static final ChainStats EMPTY = new ChainStats(0, 0, 0, null, 0);
}
