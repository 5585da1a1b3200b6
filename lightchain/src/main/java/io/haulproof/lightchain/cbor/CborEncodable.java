package io.haulproof.lightchain.cbor;

/** A value with a CBOR form, so that records can nest in one another's maps. */
public interface CborEncodable {
  CborValue toCbor();
}
