package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Turns a raw load-cell ADC count into a {@link WeightReading}: calibrated, rounded to e,
 * range-checked against the spec; motion is {@link Motion#UNKNOWN} (an ADC cannot tell), so the
 * lift-cycle weigher judges stability from its window.
 */
public final class AdcSample {
  private AdcSample() {}

  public static WeightReading toReading(
      String source, Stamp stamp, long raw, Calibration cal, ScaleSpec spec) {
    BigDecimal w = cal.toWeight(raw, spec);
    if (w.compareTo(spec.max().add(spec.e().multiply(BigDecimal.valueOf(9)))) > 0) {
      return new WeightReading(
          source,
          stamp,
          ReadingStatus.INVALID,
          Optional.empty(),
          Optional.empty(),
          Optional.of(spec.unit()),
          false,
          Motion.UNKNOWN,
          ScaleRange.OVERLOAD);
    }
    return new WeightReading(
        source,
        stamp,
        ReadingStatus.VALID,
        Optional.of(w),
        Optional.empty(),
        Optional.of(spec.unit()),
        false,
        Motion.UNKNOWN,
        ScaleRange.IN_RANGE);
  }
}
