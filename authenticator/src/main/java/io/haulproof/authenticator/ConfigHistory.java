package io.haulproof.authenticator;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.poah.SignedEntry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which PoAh settings applied to which block: every {@code config} entry (section "config") sets
 * them from its index on, and a block is governed by the last such entry before its end ({@code
 * index < tree_size}), so the block that carries a new configuration is already authenticated under
 * it. Blocks before any PoAh configuration are single-node (quorum 1, the device itself).
 *
 * <p>Thread-safe.
 */
public final class ConfigHistory {
  private final TreeMap<Long, Optional<PoahSettings>> changes = new TreeMap<>();

  /** Looks at entry {@code index}; remembers it if it is a configuration. Idempotent. */
  public synchronized void observe(long index, Bytes entry) {
    SignedEntry e;
    try {
      e = SignedEntry.parse(index, entry);
    } catch (SignedEntry.MalformedEntryException ex) {
      return; // the chain verifier reports it
    }
    if (e.entry().body() instanceof ConfigBody c && c.section().equals("config")) {
      Optional<PoahSettings> s;
      try {
        s = PoahSettings.fromConfig(c.content());
      } catch (IllegalArgumentException ex) {
        s = Optional.empty(); // a malformed set cannot authenticate anything: single-node rules
      }
      changes.put(index, s);
    }
  }

  /** The settings governing a block that ends at {@code treeSize}; empty for single-node. */
  public synchronized Optional<PoahSettings> inForce(long treeSize) {
    Map.Entry<Long, Optional<PoahSettings>> e = changes.lowerEntry(treeSize);
    return e == null ? Optional.empty() : e.getValue();
  }

  /**
   * The distinct settings governing some block that ends at a tree size in {@code
   * fromTreeSize..toTreeSize}: the one in force at the first, and every change before the last.
   * Empty when all of them are single-node.
   */
  public synchronized List<PoahSettings> inForceOver(long fromTreeSize, long toTreeSize) {
    Set<PoahSettings> out = new LinkedHashSet<>();
    inForce(fromTreeSize).ifPresent(out::add);
    if (fromTreeSize < toTreeSize) {
      for (Optional<PoahSettings> s :
          changes.subMap(fromTreeSize, true, toTreeSize, false).values()) {
        s.ifPresent(out::add);
      }
    }
    return List.copyOf(out);
  }

  /** Every configuration change seen, by entry index. */
  public synchronized Map<Long, Optional<PoahSettings>> changes() {
    return Map.copyOf(changes);
  }
}
