package io.haulproof.drivers.reading;

/**
 * A TI TIRIS (LF, 134.2 kHz) transponder code as a TIRIS reader reports it in ASCII: transponder
 * type, 12-bit application code and 52-bit id, together the 64 data bits.
 *
 * @param type {@code R} read-only, {@code W} read/write, {@code M} multipage
 */
public record TirisCode(char type, int applicationCode, long id) implements TagId {
  public static final long MAX_ID = (1L << 52) - 1;

  public TirisCode {
    if ("RWM".indexOf(type) < 0) {
      throw new IllegalArgumentException("TIRIS type '" + type + "', want R, W or M");
    }
    if (applicationCode < 0 || applicationCode > 4095) {
      throw new IllegalArgumentException(
          "application code " + applicationCode + " outside 0..4095");
    }
    if (id < 0 || id > MAX_ID) {
      throw new IllegalArgumentException("id " + id + " outside 0.." + MAX_ID);
    }
  }

  /** The 64 data bits: application code above the id. */
  public long raw() {
    return ((long) applicationCode << 52) | id;
  }

  @Override
  public String rawHex() {
    return String.format("%016x", raw());
  }
}
