package io.haulproof.agent.config;

/**
 * Block cutting and checkpoint cadence of the lightchain.
 *
 * @param blockMaxEntries a block closes after this many entries
 * @param blockMaxMs or after this long, whichever comes first
 * @param checkpointIntervalMs a signed checkpoint is published this often when the tree has grown
 */
public record ChainConfig(Integer blockMaxEntries, Long blockMaxMs, Long checkpointIntervalMs) {
  public ChainConfig {
    blockMaxEntries = Check.range("blockMaxEntries", blockMaxEntries, 256, 1, 100_000);
    blockMaxMs = Check.range("blockMaxMs", blockMaxMs, 10_000, 10, 3_600_000);
    checkpointIntervalMs =
        Check.range("checkpointIntervalMs", checkpointIntervalMs, 60_000, 10, 86_400_000);
  }

  public static ChainConfig defaults() {
    return new ChainConfig(null, null, null);
  }
}
