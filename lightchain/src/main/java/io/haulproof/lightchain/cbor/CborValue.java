package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;

/**
 * One CBOR data item (RFC 8949 §3) in the subset Haulproof uses: integers within {@code long}, byte
 * and text strings, arrays, maps, tags and the simple values false, true and null. Floating-point
 * values are not part of the subset: positions and weights are scaled integers (see
 * docs/formats.md).
 */
public sealed interface CborValue
    permits CborInt, CborBytes, CborText, CborArray, CborMap, CborTag, CborSimple {

  /** The deterministic encoding (RFC 8949 §4.2.1) of this value. */
  default Bytes encode() {
    return Cbor.encode(this);
  }

  /** A short name of the value's kind for error messages, e.g. "int" or "map". */
  String typeName();

  static CborInt of(long value) {
    return new CborInt(value);
  }

  static CborText of(String value) {
    return new CborText(value);
  }

  static CborBytes of(Bytes value) {
    return new CborBytes(value);
  }

  static CborSimple of(boolean value) {
    return value ? CborSimple.TRUE : CborSimple.FALSE;
  }
}
