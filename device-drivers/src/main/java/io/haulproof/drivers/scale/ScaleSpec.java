package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.WeightUnit;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The metrological configuration of a scale (OIML R 51 / MID MI-006): scale interval {@code e},
 * minimum and maximum capacity, unit. Min is typically 20e for class Y(a), 10e for Y(b).
 */
public record ScaleSpec(BigDecimal e, BigDecimal min, BigDecimal max, WeightUnit unit) {
  public ScaleSpec {
    Objects.requireNonNull(e, "e");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(unit, "unit");
    if (e.signum() <= 0) {
      throw new IllegalArgumentException("e " + e + " must be positive");
    }
    if (min.signum() < 0 || max.compareTo(min) <= 0) {
      throw new IllegalArgumentException("want 0 <= Min < Max, got Min " + min + " Max " + max);
    }
  }

  /** Rounds to the nearest multiple of e (half up), as an indicator displays it. */
  public BigDecimal round(BigDecimal value) {
    BigDecimal steps = value.divide(e, 0, java.math.RoundingMode.HALF_UP);
    return steps.multiply(e);
  }
}
