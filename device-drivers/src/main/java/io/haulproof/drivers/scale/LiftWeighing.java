package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.Stamp;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one lift cycle: gross (full bin, before the lift), tare (empty bin, after), net =
 * gross − tare, each present only if it came from a stable reading, with the flags billing needs
 * (OIML R 51, DOMAIN.md section 2).
 *
 * @param motionTimeout no stable reading arrived within the timeout of a phase
 * @param belowMin net below the spec's Min (must not be billed by weight in Germany)
 * @param overMax a reading during the cycle was above Max or reported overload/out of range
 * @param tilt the truck reported tilt during the cycle
 */
public record LiftWeighing(
    ScaleSpec spec,
    Optional<BigDecimal> gross,
    Optional<Stamp> grossStamp,
    Optional<BigDecimal> tare,
    Optional<Stamp> tareStamp,
    Optional<BigDecimal> net,
    boolean motionTimeout,
    boolean belowMin,
    boolean overMax,
    boolean tilt) {
  public LiftWeighing {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(gross, "gross");
    Objects.requireNonNull(grossStamp, "grossStamp");
    Objects.requireNonNull(tare, "tare");
    Objects.requireNonNull(tareStamp, "tareStamp");
    Objects.requireNonNull(net, "net");
    if (net.isPresent() != (gross.isPresent() && tare.isPresent())) {
      throw new IllegalArgumentException("net needs both gross and tare");
    }
    if (net.isPresent() && net.get().compareTo(gross.get().subtract(tare.get())) != 0) {
      throw new IllegalArgumentException(
          "net " + net.get() + " != gross " + gross.get() + " - tare " + tare.get());
    }
  }

  /**
   * True when gross, tare and net are all present, stable and without flags that forbid billing by
   * weight.
   */
  public boolean billable() {
    return net.isPresent() && !motionTimeout && !belowMin && !overMax && !tilt;
  }
}
