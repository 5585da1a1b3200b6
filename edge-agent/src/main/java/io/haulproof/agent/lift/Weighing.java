package io.haulproof.agent.lift;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One completed lift cycle of the bin scale: gross before the lift, tare after it (OIML R 51
 * catchweighing).
 *
 * <p>A phase that saw no stable reading leaves its value null; then {@code stable} is false and the
 * event carries {@link QualityFlag#WEIGHT_UNSTABLE}. Nothing is estimated.
 *
 * @param gross weight of the full bin, null when no stable gross was seen
 * @param tare weight of the emptied bin, null when no stable tare was seen
 * @param net gross minus tare, null when either is missing
 * @param unit {@code kg} or {@code lb}
 * @param interval scale interval e
 * @param min minimum load
 * @param max maximum capacity
 * @param stable both weights were stable
 * @param belowMin net below Min (not billable by weight)
 * @param overMax a weight exceeded Max
 * @param tilt the truck reported tilt beyond the instrument's limit
 * @param eventCounter the indicator's event counter, null when it has none
 * @param grossAtNanos monotonic time of the gross weight
 * @param tareAtNanos monotonic time of the tare weight
 */
public record Weighing(
    BigDecimal gross,
    BigDecimal tare,
    BigDecimal net,
    String unit,
    BigDecimal interval,
    BigDecimal min,
    BigDecimal max,
    boolean stable,
    boolean belowMin,
    boolean overMax,
    boolean tilt,
    Long eventCounter,
    long grossAtNanos,
    long tareAtNanos) {
  public Weighing {
    if (gross == null || tare == null) {
      if (net != null || stable) {
        throw new IllegalArgumentException(
            "a weighing without gross "
                + gross
                + " or tare "
                + tare
                + " must be unstable and have no net, got stable "
                + stable
                + " net "
                + net);
      }
    } else if (net == null || net.compareTo(gross.subtract(tare)) != 0) {
      throw new IllegalArgumentException(
          "net " + net + " is not gross " + gross + " - tare " + tare);
    }
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (tareAtNanos < grossAtNanos) {
      throw new IllegalArgumentException(
          "tare at " + tareAtNanos + " precedes gross at " + grossAtNanos);
    }
  }
}
