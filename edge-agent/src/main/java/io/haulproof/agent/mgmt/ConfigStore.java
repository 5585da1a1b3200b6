package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The managed configuration on disk: every applied version kept as a snapshot, and a pointer to the
 * current one.
 *
 * <p>Layout: {@code snapshots/config-<version>.json} (canonical JSON, see {@link ConfigSnapshot})
 * and {@code current} (the current version number). Both are written with temp file, fsync and
 * rename, so after a crash the pointer names either the old or the new snapshot, each complete.
 * Rollback re-applies an old snapshot's values as a new version, so versions only grow and the log
 * tells the whole story. The oldest snapshots beyond {@link #KEEP} are pruned.
 */
public final class ConfigStore {
  /** How many snapshots are kept for rollback. */
  public static final int KEEP = 32;

  private static final Pattern FILE = Pattern.compile("config-(\\d{1,18})\\.json");

  private final Path dir;
  private ConfigSnapshot current;

  private ConfigStore(Path dir, ConfigSnapshot current) {
    this.dir = dir;
    this.current = current;
  }

  /** Opens {@code dir}; without a pointer the current configuration is version 0 and empty. */
  public static ConfigStore open(Path dir) throws IOException {
    DurableFiles.createPrivateDirectories(dir.resolve("snapshots"));
    Path pointer = dir.resolve("current");
    if (!Files.exists(pointer)) {
      return new ConfigStore(dir, new ConfigSnapshot(0, new TreeMap<>()));
    }
    long v;
    try {
      v = Long.parseLong(Files.readString(pointer, StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      throw new IOException("config pointer " + pointer + " is damaged: " + e.getMessage(), e);
    }
    ConfigStore s = new ConfigStore(dir, null);
    s.current =
        s.snapshot(v)
            .orElseThrow(
                () -> new IOException("config pointer names version " + v + ", which is missing"));
    return s;
  }

  public synchronized ConfigSnapshot current() {
    return current;
  }

  /** The next version's snapshot with {@code values}; nothing is written. */
  public synchronized ConfigSnapshot propose(SortedMap<String, String> values) {
    return new ConfigSnapshot(current.version() + 1, values);
  }

  /** Writes {@code next} and makes it current, atomically. */
  public synchronized void commit(ConfigSnapshot next) throws IOException {
    if (next.version() <= current.version()) {
      throw new IllegalArgumentException(
          "config version " + next.version() + ", want more than " + current.version());
    }
    DurableFiles.write(path(next.version()), next.canonical().toByteArray());
    point(next.version());
    current = next;
    prune();
  }

  /** Points back to {@code previous} after a failed apply and deletes the failed snapshot. */
  public synchronized void revert(ConfigSnapshot failed, ConfigSnapshot previous)
      throws IOException {
    if (current.version() != failed.version()) {
      throw new IllegalStateException(
          "revert of version " + failed.version() + " while current is " + current.version());
    }
    point(previous.version());
    current = previous;
    Files.deleteIfExists(path(failed.version()));
  }

  public synchronized Optional<ConfigSnapshot> snapshot(long version) throws IOException {
    Path p = path(version);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    return Optional.of(new ConfigSnapshot(version, ConfigSnapshot.parse(Files.readAllBytes(p))));
  }

  /** Versions with a snapshot on disk, oldest first. */
  public synchronized List<Long> versions() throws IOException {
    List<Long> out = new ArrayList<>();
    try (var files = Files.list(dir.resolve("snapshots"))) {
      for (Path p : files.toList()) {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
    }
    out.sort(null);
    return out;
  }

  private void point(long version) throws IOException {
    DurableFiles.write(
        dir.resolve("current"), (version + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private void prune() throws IOException {
    List<Long> all = versions();
    for (int i = 0; i < all.size() - KEEP; i++) {
      if (all.get(i) != current.version()) {
        Files.deleteIfExists(path(all.get(i)));
      }
    }
  }

  private Path path(long version) {
    return dir.resolve("snapshots").resolve("config-" + version + ".json");
  }
}
