package io.haulproof.uplink.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborInt;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cbor.CborValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reading and writing CBOR maps with text keys (the uplink contract's messages), strictly. */
final class CborText2 {
  static final CborLimits LIMITS = new CborLimits(16 * 1024, 4);

  private CborText2() {}

  static final class Writer {
    private final Map<CborValue, CborValue> m = new LinkedHashMap<>();

    Writer put(String key, CborValue v) {
      m.put(new CborText(key), v);
      return this;
    }

    Writer put(String key, String v) {
      return put(key, new CborText(v));
    }

    Writer put(String key, long v) {
      return put(key, new CborInt(v));
    }

    Writer put(String key, Bytes v) {
      return put(key, new CborBytes(v));
    }

    Bytes encode() {
      return Cbor.encode(new CborMap(m));
    }
  }

  /** Decodes a map whose keys are all text and within {@code allowed}. */
  static Map<String, CborValue> read(Bytes payload, String what, Set<String> allowed) {
    CborValue v;
    try {
      v = Cbor.decode(payload, LIMITS);
    } catch (CborException e) {
      throw new WireFormatException(what + ": not strict CBOR: " + e.getMessage(), e);
    }
    if (!(v instanceof CborMap map)) {
      throw new WireFormatException(what + ": want a map, got " + v.typeName());
    }
    Map<String, CborValue> out = new LinkedHashMap<>();
    for (var e : map.entries().entrySet()) {
      if (!(e.getKey() instanceof CborText t)) {
        throw new WireFormatException(
            what + ": map key of type " + e.getKey().typeName() + ", want text");
      }
      if (!allowed.contains(t.value())) {
        throw new WireFormatException(
            what + ": unknown key '" + t.value() + "', want one of " + allowed);
      }
      out.put(t.value(), e.getValue());
    }
    return out;
  }

  static String text(Map<String, CborValue> m, String key, String what) {
    if (m.get(key) instanceof CborText t) {
      return t.value();
    }
    throw new WireFormatException(what + ": '" + key + "' " + describe(m.get(key)) + ", want text");
  }

  static long uint(Map<String, CborValue> m, String key, String what) {
    if (m.get(key) instanceof CborInt i && i.value() >= 0) {
      return i.value();
    }
    throw new WireFormatException(
        what + ": '" + key + "' " + describe(m.get(key)) + ", want unsigned int");
  }

  static Bytes bytes(Map<String, CborValue> m, String key, String what) {
    if (m.get(key) instanceof CborBytes b) {
      return b.value();
    }
    throw new WireFormatException(
        what + ": '" + key + "' " + describe(m.get(key)) + ", want bytes");
  }

  private static String describe(CborValue v) {
    return v == null ? "missing" : "is " + v.typeName();
  }
}
