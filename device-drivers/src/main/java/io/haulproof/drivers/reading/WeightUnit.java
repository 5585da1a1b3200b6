package io.haulproof.drivers.reading;

import java.math.BigDecimal;

/** Mass units scales report. */
public enum WeightUnit {
  G("g", new BigDecimal("0.001")),
  KG("kg", BigDecimal.ONE),
  T("t", new BigDecimal("1000")),
  LB("lb", new BigDecimal("0.45359237"));

  private final String symbol;
  private final BigDecimal kilograms;

  WeightUnit(String symbol, BigDecimal kilograms) {
    this.symbol = symbol;
    this.kilograms = kilograms;
  }

  public String symbol() {
    return symbol;
  }

  /** The mass of one unit in kg (exact: the pound is defined as 0.45359237 kg). */
  public BigDecimal kilograms() {
    return kilograms;
  }

  /**
   * Parses a unit symbol as sent by indicators ({@code kg}, {@code g}, {@code t}, {@code lb});
   * case-insensitive.
   */
  public static WeightUnit parse(String symbol) {
    for (WeightUnit u : values()) {
      if (u.symbol.equalsIgnoreCase(symbol)) {
        return u;
      }
    }
    throw new MalformedFrameException(
        "unit", "unknown weight unit '" + symbol + "', want g, kg, t or lb");
  }
}
