package io.haulproof.lightchain.cbor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A definite-length CBOR map (major type 5) with unique keys.
 *
 * <p>Iteration follows insertion (or, after decoding, wire) order; the encoder always writes keys
 * sorted bytewise by their encoding (RFC 8949 §4.2.1), so equal maps encode to equal bytes.
 */
public record CborMap(Map<CborValue, CborValue> entries) implements CborValue {
  public CborMap {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  public static CborMap empty() {
    return new CborMap(Map.of());
  }

  public static MapBuilder builder() {
    return new MapBuilder();
  }

  public int size() {
    return entries.size();
  }

  /** The value under the integer key {@code key}, or null. */
  public CborValue get(long key) {
    return entries.get(new CborInt(key));
  }

  @Override
  public String typeName() {
    return "map";
  }
}
