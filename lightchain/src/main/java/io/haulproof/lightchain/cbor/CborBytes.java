package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Objects;

/** A CBOR byte string (major type 2). */
public record CborBytes(Bytes value) implements CborValue {
  public CborBytes {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String typeName() {
    return "bytes";
  }
}
