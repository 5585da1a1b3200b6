package io.haulproof.lightchain.index;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Key/value storage for derived state that can always be rebuilt from the evidence log (indexes,
 * uplink cursor cache, trust table, registry cache); evidence never depends on it (DESIGN.md,
 * "Derived state").
 *
 * <p>Owners store how far they have applied the log under their own key and, when {@link
 * #rebuilt()} is true or the marker is missing, replay the log from the start.
 */
public interface DerivedStateStore extends Closeable {
  Optional<Bytes> get(String key);

  /** Stores several values at once; they become durable together at the next {@link #commit()}. */
  void putAll(Map<String, Bytes> values);

  default void put(String key, Bytes value) {
    putAll(Map.of(key, value));
  }

  void remove(String key);

  /**
   * Removes everything, for a full rebuild; a backend may commit along the way (so an owner removes
   * its "applied up to" marker first).
   */
  void clear();

  /** Makes the changes so far durable (as far as the backend can). */
  void commit() throws IOException;

  /** True if the store was found unusable at open, set aside, and started empty. */
  boolean rebuilt();

  /** A long value, or {@code fallback} if absent. */
  default long getLong(String key, long fallback) {
    return get(key).map(b -> java.nio.ByteBuffer.wrap(b.toByteArray()).getLong()).orElse(fallback);
  }

  default void putLong(String key, long value) {
    put(key, Bytes.wrap(java.nio.ByteBuffer.allocate(8).putLong(value).array()));
  }
}
