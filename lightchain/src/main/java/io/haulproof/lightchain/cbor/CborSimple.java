package io.haulproof.lightchain.cbor;

/** The CBOR simple values false (20), true (21) and null (22) (RFC 8949 §3.3). */
public enum CborSimple implements CborValue {
  FALSE(20),
  TRUE(21),
  NULL(22);

  private final int code;

  CborSimple(int code) {
    this.code = code;
  }

  /** The simple value number, the additional information of major type 7. */
  public int code() {
    return code;
  }

  @Override
  public String typeName() {
    return this == NULL ? "null" : "bool";
  }
}
