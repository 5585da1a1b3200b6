package io.haulproof.drivers.reading;

/**
 * An ISO 11784 64-bit code (ISO 11784/11785, FDX-B/HDX): 10-bit country or manufacturer code and
 * 38-bit national id, plus the flag bits, with the raw 64-bit value kept as read.
 *
 * <p>Bit layout (ISO 11784 §5, bit 1 = LSB of {@code raw}): 1–38 national id, 39–48 country code,
 * 49 data-block flag, 50–63 reserved (14 bits), 64 animal flag.
 */
public record Iso11784Code(long raw) implements TagId {
  public static final long MAX_NATIONAL_ID = (1L << 38) - 1;

  /** Builds the raw value from its fields. */
  public static Iso11784Code of(int country, long nationalId, boolean animal, boolean dataBlock) {
    if (country < 0 || country > 1023) {
      throw new IllegalArgumentException("country " + country + " outside 0..1023");
    }
    if (nationalId < 0 || nationalId > MAX_NATIONAL_ID) {
      throw new IllegalArgumentException(
          "national id " + nationalId + " outside 0.." + MAX_NATIONAL_ID);
    }
    long raw =
        nationalId | ((long) country << 38) | (dataBlock ? 1L << 48 : 0) | (animal ? 1L << 63 : 0);
    return new Iso11784Code(raw);
  }

  public int country() {
    return (int) ((raw >>> 38) & 0x3FF);
  }

  public long nationalId() {
    return raw & MAX_NATIONAL_ID;
  }

  public boolean dataBlock() {
    return ((raw >>> 48) & 1) != 0;
  }

  public boolean animal() {
    return raw < 0;
  }

  public int reserved() {
    return (int) ((raw >>> 49) & 0x3FFF);
  }

  /** Manufacturer codes are 900–998 (ICAR); country codes are ISO 3166 numeric. */
  public boolean isManufacturerCode() {
    return country() >= 900 && country() <= 998;
  }

  @Override
  public String rawHex() {
    return String.format("%016x", raw);
  }

  /** The usual printed form {@code CCC NNNNNNNNNNNN}, e.g. {@code 900 250000023921}. */
  public String display() {
    return String.format("%03d %012d", country(), nationalId());
  }
}
