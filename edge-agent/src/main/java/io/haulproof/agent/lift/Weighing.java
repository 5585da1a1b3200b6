package io.haulproof.agent.lift;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One completed lift cycle of the bin scale: gross before the lift, tare after it (OIML R 51 catchweighing).
 *
 * @param gross weight of the full bin
 * @param tare weight of the emptied bin
 * @param net gross minus tare
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
    Objects.requireNonNull(gross, "gross");
    Objects.requireNonNull(tare, "tare");
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (net.compareTo(gross.subtract(tare)) != 0) {
      throw new IllegalArgumentException("net " + net + " is not gross " + gross + " - tare " + tare);
    }
    if (tareAtNanos < grossAtNanos) {
      throw new IllegalArgumentException("tare at " + tareAtNanos + " precedes gross at " + grossAtNanos);
    }
  }
}
