package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;

/**
 * Entry points of the strict CBOR codec (RFC 8949).
 *
 * <p>Encoding is deterministic (§4.2.1): shortest-form integers and lengths, definite lengths only,
 * map keys sorted bytewise by their encoded form. Decoding accepts exactly that form and nothing
 * else: it rejects non-shortest integers and lengths, indefinite lengths, unsorted or duplicate map
 * keys, floating-point and unassigned simple values, integers outside {@code long}, invalid UTF-8,
 * trailing bytes, nesting deeper than the limit, declared lengths beyond the input, and inputs over
 * the size limit. Every rejection is a {@link CborException}.
 */
public final class Cbor {
  private Cbor() {}

  /** The deterministic encoding of {@code value}. */
  public static Bytes encode(CborValue value) {
    CborWriter w = new CborWriter(64);
    w.write(value);
    return Bytes.wrap(w.toByteArray());
  }

  /** Decodes exactly one data item under {@link CborLimits#DEFAULT}. */
  public static CborValue decode(Bytes input) {
    return decode(input, CborLimits.DEFAULT);
  }

  /** Decodes exactly one data item under {@code limits}. */
  public static CborValue decode(Bytes input, CborLimits limits) {
    return decode(input.toByteArray(), limits);
  }

  /**
   * Decodes exactly one data item from {@code input} (not copied, not modified) under {@code
   * limits}.
   */
  public static CborValue decode(byte[] input, CborLimits limits) {
    return new CborReader(input, limits).readSingle();
  }
}
