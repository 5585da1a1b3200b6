package io.haulproof.lightchain.entry;

/** The air interface a container tag was read over; wire code = ordinal + 1 (docs/formats.md). */
public enum TagTechnology {
  FDX_B,
  HDX,
  UHF_EPC,
  OTHER;

  public int code() {
    return Codes.of(this);
  }

  public static TagTechnology fromCode(long code) {
    return Codes.from(TagTechnology.class, code);
  }
}
