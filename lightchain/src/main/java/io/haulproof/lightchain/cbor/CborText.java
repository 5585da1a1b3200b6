package io.haulproof.lightchain.cbor;

import java.util.Objects;

/** A CBOR text string (major type 3), always valid UTF-8 on the wire. */
public record CborText(String value) implements CborValue {
  public CborText {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String typeName() {
    return "text";
  }
}
