package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest request version accepted from each provisioning key, persisted so that a restart
 * cannot reopen a replay window.
 *
 * <p>Security guarantees: {@link #accept} writes the new high-water mark durably (temp file, fsync,
 * rename) before it returns, and callers act on a request only after that. A damaged state file
 * stops the service from accepting anything (it throws at open) rather than silently forgetting old
 * versions.
 */
public final class ReplayGuard {
  private final Path file;
  private final Map<Kid, Long> highest = new TreeMap<>();

  private ReplayGuard(Path file) {
    this.file = file;
  }

  /** Opens or creates the state file {@code file}; one line {@code kid-hex version} per issuer. */
  public static ReplayGuard open(Path file) throws IOException {
    ReplayGuard g = new ReplayGuard(file);
    if (Files.exists(file)) {
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split(" ");
        try {
          if (f.length != 2) {
            throw new IllegalArgumentException("want 2 fields, got " + f.length);
          }
          g.highest.put(Kid.fromHex(f[0]), Long.parseLong(f[1]));
        } catch (IllegalArgumentException e) {
          throw new IOException(
              "replay state " + file + " line " + n + " is damaged: " + e.getMessage(), e);
        }
      }
    }
    return g;
  }

  /**
   * Checks that {@code version} is above the highest accepted from {@code issuer}.
   *
   * @throws MgmtException with {@link RejectReason#REPLAYED} otherwise
   */
  public synchronized void check(Kid issuer, long version) {
    Long last = highest.get(issuer);
    if (last != null && version <= last) {
      throw new MgmtException(
          RejectReason.REPLAYED,
          "version " + version + " from " + issuer + ", want more than " + last);
    }
  }

  /** Checks and durably records {@code version} as the highest from {@code issuer}. */
  public synchronized void accept(Kid issuer, long version) {
    check(issuer, version);
    Long previous = highest.put(issuer, version);
    StringBuilder sb = new StringBuilder();
    highest.forEach((k, v) -> sb.append(k.toHex()).append(' ').append(v).append('\n'));
    try {
      DurableFiles.write(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      if (previous == null) {
        highest.remove(issuer);
      } else {
        highest.put(issuer, previous);
      }
      throw new UncheckedIOException("cannot persist replay state " + file, e);
    }
  }

  public synchronized long highest(Kid issuer) {
    return highest.getOrDefault(issuer, -1L);
  }
}
