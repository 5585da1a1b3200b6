package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Builds a {@link CborMap} with integer keys; the {@code opt} methods skip absent values. */
public final class MapBuilder {
  private final Map<CborValue, CborValue> entries = new LinkedHashMap<>();

  MapBuilder() {}

  /**
   * Adds {@code key → value}.
   *
   * @throws IllegalArgumentException if the key is already present
   */
  public MapBuilder put(long key, CborValue value) {
    if (entries.putIfAbsent(new CborInt(key), value) != null) {
      throw new IllegalArgumentException("duplicate map key " + key);
    }
    return this;
  }

  public MapBuilder put(long key, long value) {
    return put(key, new CborInt(value));
  }

  public MapBuilder put(long key, String value) {
    return put(key, new CborText(value));
  }

  public MapBuilder put(long key, Bytes value) {
    return put(key, new CborBytes(value));
  }

  public MapBuilder put(long key, boolean value) {
    return put(key, CborValue.of(value));
  }

  public MapBuilder put(long key, CborEncodable value) {
    return put(key, value.toCbor());
  }

  public MapBuilder opt(long key, OptionalLong value) {
    return value.isPresent() ? put(key, value.getAsLong()) : this;
  }

  public MapBuilder opt(long key, OptionalInt value) {
    return value.isPresent() ? put(key, value.getAsInt()) : this;
  }

  /**
   * Adds the value if present; strings, {@link Bytes}, longs, booleans, {@link CborValue}s and
   * encodables.
   */
  public MapBuilder opt(long key, Optional<?> value) {
    if (value.isEmpty()) {
      return this;
    }
    Object v = value.get();
    if (v instanceof CborValue c) {
      return put(key, c);
    } else if (v instanceof CborEncodable e) {
      return put(key, e);
    } else if (v instanceof String s) {
      return put(key, s);
    } else if (v instanceof Bytes b) {
      return put(key, b);
    } else if (v instanceof Long l) {
      return put(key, l.longValue());
    } else if (v instanceof Integer i) {
      return put(key, i.longValue());
    } else if (v instanceof Boolean b) {
      return put(key, b.booleanValue());
    }
    throw new IllegalArgumentException("no CBOR form for " + v.getClass().getName());
  }

  public CborMap build() {
    return new CborMap(entries);
  }
}
