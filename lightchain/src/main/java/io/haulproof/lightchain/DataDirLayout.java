package io.haulproof.lightchain;

import java.nio.file.Path;

/**
 * Where a lightchain keeps its files under {@code DATA}: {@code log/} and {@code merkle/} (the
 * evidence log), {@code blocks/blocks.dat}, {@code blocks/equivocations.dat}, {@code
 * checkpoint/latest.note}, {@code keys/device.pub.pem} and {@code quarantine/}.
 */
public final class DataDirLayout {
  private DataDirLayout() {}

  public static Path devicePublicKey(Path dataDir) {
    return dataDir.resolve("keys").resolve("device.pub.pem");
  }

  public static Path merkle(Path dataDir) {
    return dataDir.resolve("merkle");
  }

  public static Path equivocations(Path dataDir) {
    return dataDir.resolve("blocks").resolve("equivocations.dat");
  }

  /** The derived index of block offsets (MapDB; rebuilt from {@code blocks.dat} when unusable). */
  public static Path blockIndex(Path dataDir) {
    return dataDir.resolve("index").resolve("blocks.mapdb");
  }

  /** The derived index of segment tails (MapDB; rebuilt by scanning the log when unusable). */
  public static Path segmentIndex(Path dataDir) {
    return dataDir.resolve("index").resolve("segments.mapdb");
  }

  /**
   * The derived index of bin tag to collection entries (MapDB; rebuilt from the log when unusable,
   * stale or ahead of the log).
   */
  public static Path binIndex(Path dataDir) {
    return dataDir.resolve("index").resolve("bins.mapdb");
  }

  public static Path quarantine(Path dataDir) {
    return dataDir.resolve("quarantine");
  }
}
