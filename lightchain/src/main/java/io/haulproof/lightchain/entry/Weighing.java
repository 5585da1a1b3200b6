package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborEncodable;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;

/**
 * The weighing of one lift as the indicator reported it (OIML R 51 / MID MI-006; DOMAIN.md §2).
 *
 * <p>Every weight is an integer count of {@code 10^-decimals} {@code unit}, exactly as the
 * indicator displays it (e.g. 38.5 kg is {@code 385} with {@code decimals = 1}), so the stored
 * value reproduces the legal reading without rounding. The net weight is {@link #net()}, gross
 * minus tare; it is not stored separately, so it cannot disagree.
 *
 * @param unit the displayed unit
 * @param decimals the number of decimals of the displayed value, 0..6
 * @param gross the full-bin weight (before the lift)
 * @param tare the empty-bin weight (after the lift)
 * @param interval the scale interval e
 * @param min the instrument's Min
 * @param max the instrument's Max
 * @param stable the accepted readings were stable
 * @param belowMin the net weight is below Min (not billable by weight in Germany)
 * @param overMax a reading exceeded Max
 * @param tilt the truck reported tilt beyond the instrument's limit
 */
public record Weighing(
    WeightUnit unit,
    int decimals,
    long gross,
    long tare,
    long interval,
    long min,
    long max,
    boolean stable,
    boolean belowMin,
    boolean overMax,
    boolean tilt)
    implements CborEncodable {
  private static final int STABLE = 1;
  private static final int BELOW_MIN = 2;
  private static final int OVER_MAX = 4;
  private static final int TILT = 8;

  public Weighing {
    Objects.requireNonNull(unit, "unit");
    if (decimals < 0 || decimals > 6) {
      throw new IllegalArgumentException("decimals " + decimals + ", want 0..6");
    }
    if (interval <= 0 || min < 0 || max <= min) {
      throw new IllegalArgumentException(
          "scale interval e "
              + interval
              + ", min "
              + min
              + ", max "
              + max
              + ": want e > 0 and 0 <= min < max");
    }
  }

  /** The net weight, gross minus tare, in the same units. */
  public long net() {
    return gross - tare;
  }

  @Override
  public CborMap toCbor() {
    int flags =
        (stable ? STABLE : 0)
            | (belowMin ? BELOW_MIN : 0)
            | (overMax ? OVER_MAX : 0)
            | (tilt ? TILT : 0);
    return CborMap.builder()
        .put(1, unit.code())
        .put(2, decimals)
        .put(3, gross)
        .put(4, tare)
        .put(5, interval)
        .put(6, min)
        .put(7, max)
        .put(8, flags)
        .build();
  }

  static Weighing read(MapReader r) {
    int flags = r.requireInt(8, 0, 15);
    return new Weighing(
        WeightUnit.fromCode(r.requireLong(1)),
        r.requireInt(2, 0, 6),
        r.requireLong(3),
        r.requireLong(4),
        r.requireLong(5),
        r.requireLong(6),
        r.requireLong(7),
        (flags & STABLE) != 0,
        (flags & BELOW_MIN) != 0,
        (flags & OVER_MAX) != 0,
        (flags & TILT) != 0);
  }
}
