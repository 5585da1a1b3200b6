package io.haulproof.lightchain.cbor;

/**
 * A CBOR unsigned (major type 0) or negative (major type 1) integer within the range of {@code
 * long}.
 */
public record CborInt(long value) implements CborValue {
  @Override
  public String typeName() {
    return "int";
  }
}
