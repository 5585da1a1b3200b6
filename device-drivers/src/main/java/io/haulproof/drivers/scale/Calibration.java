package io.haulproof.drivers.scale;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Linear calibration of a load-cell ADC: a zero offset (raw counts with the scale empty) and a span
 * (counts per unit) derived from one reference weight. Changes to it are {@code config} entries in
 * the log (WELMEC 7.2 audit trail).
 */
public record Calibration(long zeroOffset, BigDecimal countsPerUnit) {
  public Calibration {
    if (countsPerUnit == null || countsPerUnit.signum() == 0) {
      throw new IllegalArgumentException("span must be non-zero, got " + countsPerUnit);
    }
  }

  /**
   * Span from a reference weight: {@code (refRaw - zeroRaw) / refWeight}.
   *
   * @throws IllegalArgumentException if the reference weight is not positive or moves the ADC by
   *     fewer than 100 counts
   */
  public static Calibration fromReference(long zeroRaw, long refRaw, BigDecimal refWeight) {
    if (refWeight.signum() <= 0) {
      throw new IllegalArgumentException("reference weight " + refWeight + " must be positive");
    }
    if (Math.abs(refRaw - zeroRaw) < 100) {
      throw new IllegalArgumentException(
          "reference moved the ADC by " + (refRaw - zeroRaw) + " counts, want at least 100");
    }
    return new Calibration(
        zeroRaw, BigDecimal.valueOf(refRaw - zeroRaw).divide(refWeight, MathContext.DECIMAL64));
  }

  /** A new zero offset, keeping the span. */
  public Calibration rezero(long zeroRaw) {
    return new Calibration(zeroRaw, countsPerUnit);
  }

  /** Raw counts to weight, rounded to the spec's interval e. */
  public BigDecimal toWeight(long raw, ScaleSpec spec) {
    BigDecimal w =
        BigDecimal.valueOf(raw - zeroOffset).divide(countsPerUnit, MathContext.DECIMAL64);
    return spec.round(w).setScale(Math.max(0, spec.e().scale()), RoundingMode.HALF_UP);
  }
}
