package io.haulproof.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread-safe map that keeps at most {@code max} entries, dropping the least recently used first:
 * the one bounded cache behind the ledger's per-key verifiers and known entry signatures.
 */
final class LruMap<K, V> {
  private final Map<K, V> map;

  /**
   * @param max entries kept at most (at least 1)
   */
  LruMap(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max " + max);
    }
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > max;
          }
        };
  }

  /** The value for {@code key}, or null; counts as a use. */
  synchronized V get(K key) {
    return map.get(key);
  }

  synchronized void put(K key, V value) {
    map.put(key, value);
  }

  synchronized int size() {
    return map.size();
  }
}
