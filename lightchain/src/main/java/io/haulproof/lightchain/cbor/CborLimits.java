package io.haulproof.lightchain.cbor;

/**
 * Bounds the decoder enforces before it allocates anything: total input size and nesting depth.
 *
 * <p>Declared lengths and item counts are checked against the bytes actually left, so a tiny input
 * cannot make the decoder allocate a large buffer.
 */
public record CborLimits(int maxBytes, int maxDepth) {
  /**
   * 64 KiB and depth 16: ample for every entry kind, including key entries with certificate chains.
   */
  public static final CborLimits DEFAULT = new CborLimits(64 * 1024, 16);

  public CborLimits {
    if (maxBytes < 1 || maxDepth < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: maxBytes " + maxBytes + ", maxDepth " + maxDepth);
    }
  }
}
