package io.haulproof.lightchain.cbor;

import java.util.List;

/** A definite-length CBOR array (major type 4). */
public record CborArray(List<CborValue> items) implements CborValue {
  public CborArray {
    items = List.copyOf(items);
  }

  public static CborArray of(CborValue... items) {
    return new CborArray(List.of(items));
  }

  public int size() {
    return items.size();
  }

  public CborValue get(int index) {
    return items.get(index);
  }

  @Override
  public String typeName() {
    return "array";
  }
}
