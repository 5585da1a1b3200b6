package io.haulproof.lightchain;

import io.haulproof.lightchain.log.LogOptions;

/**
 * Tuning of a {@link Lightchain}: when blocks close, the checkpoint origin, and the log's own
 * options.
 *
 * @param blockMaxEntries a block closes after this many entries
 * @param blockMaxMillis or this many milliseconds after its first entry, whichever comes first
 * @param origin the checkpoint origin and note key name, {@code haulproof.io/v1/<fleet>/<device>}
 * @param log options of the underlying evidence log
 */
public record LightchainOptions(
    int blockMaxEntries, long blockMaxMillis, String origin, LogOptions log) {
  public LightchainOptions {
    if (blockMaxEntries < 1 || blockMaxMillis < 1) {
      throw new IllegalArgumentException(
          "blockMaxEntries "
              + blockMaxEntries
              + " and blockMaxMillis "
              + blockMaxMillis
              + " must be >= 1");
    }
    if (origin == null || origin.isEmpty() || log == null) {
      throw new IllegalArgumentException("origin and log options are required");
    }
  }

  /** Blocks of up to 256 entries or 250 ms (Tessera's batching), default log options. */
  public static LightchainOptions defaults(String origin) {
    return new LightchainOptions(256, 250, origin, LogOptions.defaults());
  }

  public LightchainOptions withBlocks(int maxEntries, long maxMillis) {
    return new LightchainOptions(maxEntries, maxMillis, origin, log);
  }

  public LightchainOptions withLog(LogOptions options) {
    return new LightchainOptions(blockMaxEntries, blockMaxMillis, origin, options);
  }
}
