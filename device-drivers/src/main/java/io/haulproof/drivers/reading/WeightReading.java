package io.haulproof.drivers.reading;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One weight as an indicator or ADC reported it, exact (decimal, with the indicator's decimal
 * places).
 *
 * @param weight the displayed weight, signed; empty when the device sent none (overload, error)
 * @param tare the tare the indicator reports, if any
 * @param unit the unit; empty only when {@code weight} is empty
 * @param net true when {@code weight} is a net weight (indicator in net mode)
 */
public record WeightReading(
    String source,
    Stamp stamp,
    ReadingStatus status,
    Optional<BigDecimal> weight,
    Optional<BigDecimal> tare,
    Optional<WeightUnit> unit,
    boolean net,
    Motion motion,
    ScaleRange range)
    implements Reading {
  public WeightReading {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(tare, "tare");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(motion, "motion");
    Objects.requireNonNull(range, "range");
    if (weight.isPresent() && unit.isEmpty()) {
      throw new IllegalArgumentException("a weight needs a unit");
    }
    if (status == ReadingStatus.VALID && (weight.isEmpty() || range != ScaleRange.IN_RANGE)) {
      throw new IllegalArgumentException(
          "a VALID weight needs a value in range, got " + weight + " " + range);
    }
  }

  /** True when the device reported this weight in range and without motion. */
  public boolean isStableInRange() {
    return status != ReadingStatus.INVALID
        && weight.isPresent()
        && range == ScaleRange.IN_RANGE
        && motion == Motion.STABLE;
  }
}
