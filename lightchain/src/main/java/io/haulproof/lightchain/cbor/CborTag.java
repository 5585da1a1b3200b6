package io.haulproof.lightchain.cbor;

import java.util.Objects;

/** A tagged CBOR data item (major type 6), e.g. tag 18 for COSE_Sign1 (RFC 9052 §2). */
public record CborTag(long tag, CborValue content) implements CborValue {
  public CborTag {
    if (tag < 0) {
      throw new IllegalArgumentException(
          "tag number " + Long.toUnsignedString(tag) + " is out of range");
    }
    Objects.requireNonNull(content, "content");
  }

  @Override
  public String typeName() {
    return "tag";
  }
}
