package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed fields from a {@link CborMap} with integer keys, naming the field in every error;
 * {@link #end()} rejects keys nobody read, so unknown fields in signed data are never silently
 * ignored.
 */
public final class MapReader {
  private final CborMap map;
  private final String context;
  private final Set<Long> seen = new HashSet<>();

  private MapReader(CborMap map, String context) {
    this.map = map;
    this.context = context;
  }

  /**
   * Starts reading {@code value} as a map.
   *
   * @throws CborException if it is not a map
   */
  public static MapReader of(CborValue value, String context) {
    if (!(value instanceof CborMap m)) {
      throw new CborException(context + ": want map, got " + value.typeName());
    }
    return new MapReader(m, context);
  }

  public String context() {
    return context;
  }

  private CborValue raw(long key) {
    seen.add(key);
    return map.get(key);
  }

  private CborValue required(long key) {
    CborValue v = raw(key);
    if (v == null) {
      throw new CborException(context + ": missing required key " + key);
    }
    return v;
  }

  private CborException wrongType(long key, String want, CborValue got) {
    return new CborException(
        context + ": key " + key + ": want " + want + ", got " + got.typeName());
  }

  private long asLong(long key, CborValue v) {
    if (v instanceof CborInt i) {
      return i.value();
    }
    throw wrongType(key, "int", v);
  }

  public long requireLong(long key) {
    return asLong(key, required(key));
  }

  /** An integer in {@code [min, max]}. */
  public long requireLong(long key, long min, long max) {
    return checkRange(key, requireLong(key), min, max);
  }

  public int requireInt(long key, int min, int max) {
    return (int) requireLong(key, min, max);
  }

  public OptionalLong optLong(long key) {
    CborValue v = raw(key);
    return v == null ? OptionalLong.empty() : OptionalLong.of(asLong(key, v));
  }

  public OptionalLong optLong(long key, long min, long max) {
    OptionalLong v = optLong(key);
    if (v.isPresent()) {
      checkRange(key, v.getAsLong(), min, max);
    }
    return v;
  }

  public OptionalInt optInt(long key, int min, int max) {
    OptionalLong v = optLong(key, min, max);
    return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
  }

  private long checkRange(long key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new CborException(
          context
              + ": key "
              + key
              + ": value "
              + value
              + " out of range ["
              + min
              + ", "
              + max
              + "]");
    }
    return value;
  }

  private String asText(long key, CborValue v) {
    if (v instanceof CborText t) {
      return t.value();
    }
    throw wrongType(key, "text", v);
  }

  public String requireText(long key) {
    return asText(key, required(key));
  }

  public Optional<String> optText(long key) {
    CborValue v = raw(key);
    return v == null ? Optional.empty() : Optional.of(asText(key, v));
  }

  private Bytes asBytes(long key, CborValue v) {
    if (v instanceof CborBytes b) {
      return b.value();
    }
    throw wrongType(key, "bytes", v);
  }

  public Bytes requireBytes(long key) {
    return asBytes(key, required(key));
  }

  /** A byte string of exactly {@code length} bytes. */
  public Bytes requireBytes(long key, int length) {
    Bytes b = requireBytes(key);
    if (b.length() != length) {
      throw new CborException(
          context + ": key " + key + ": wrong length " + b.length() + ", want " + length);
    }
    return b;
  }

  public Optional<Bytes> optBytes(long key) {
    CborValue v = raw(key);
    return v == null ? Optional.empty() : Optional.of(asBytes(key, v));
  }

  public boolean requireBool(long key) {
    CborValue v = required(key);
    if (v == CborSimple.TRUE) {
      return true;
    } else if (v == CborSimple.FALSE) {
      return false;
    }
    throw wrongType(key, "bool", v);
  }

  public CborArray requireArray(long key) {
    CborValue v = required(key);
    if (v instanceof CborArray a) {
      return a;
    }
    throw wrongType(key, "array", v);
  }

  /** Each item of the array under {@code key} read with {@code item}. */
  public <T> List<T> requireList(long key, Function<CborValue, T> item) {
    return requireArray(key).items().stream().map(item).toList();
  }

  /** The list under {@code key}, or an empty list if the key is absent. */
  public <T> List<T> optList(long key, Function<CborValue, T> item) {
    if (map.get(key) == null) {
      seen.add(key);
      return List.of();
    }
    return requireList(key, item);
  }

  public CborValue requireValue(long key) {
    return required(key);
  }

  public Optional<CborValue> optValue(long key) {
    return Optional.ofNullable(raw(key));
  }

  /** Reads the nested map under {@code key} with {@code reader}. */
  public <T> T requireMap(long key, String name, Function<MapReader, T> reader) {
    MapReader nested = of(required(key), context + "." + name);
    T t = reader.apply(nested);
    nested.end();
    return t;
  }

  public <T> Optional<T> optMap(long key, String name, Function<MapReader, T> reader) {
    return map.get(key) == null ? Optional.empty() : Optional.of(requireMap(key, name, reader));
  }

  /**
   * Checks that every key of the map was read.
   *
   * @throws CborException naming the first unknown key
   */
  public void end() {
    for (CborValue k : map.entries().keySet()) {
      if (!(k instanceof CborInt i) || !seen.contains(i.value())) {
        throw new CborException(context + ": unknown key " + describe(k));
      }
    }
  }

  private static String describe(CborValue k) {
    if (k instanceof CborInt i) {
      return Long.toString(i.value());
    } else if (k instanceof CborText t) {
      return "\"" + t.value() + "\"";
    }
    return "of type " + k.typeName();
  }
}
