package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Weighs one bin lift: the gross phase (full bin on the lifter, before the lift), then the tare
 * phase (empty bin, after it); net = gross − tare.
 *
 * <p>Only stable readings count. A reading is stable when the indicator says so ({@link
 * Motion#STABLE}), or, when the protocol does not say ({@link Motion#UNKNOWN}, e.g. an ADC), when
 * at least {@code minSamples} readings within the last {@code window} spread less than {@code k·e}.
 * A reading flagged in motion is never used. The gross is the last stable reading before {@link
 * #startTare}; the tare is the first stable reading after it. A phase that sees no stable reading
 * within {@code motionTimeout} is closed with the value absent and the motion-timeout flag set.
 * Readings in a unit other than the spec's are rejected and counted.
 *
 * <p>Use: {@code startGross(now)}, feed readings, {@code startTare(now)} when the lift starts, feed
 * readings, and call {@link #poll} until it returns the {@link LiftWeighing}. Not thread-safe: one
 * driver thread feeds it.
 */
public final class LiftCycleWeigher {
  private enum Phase {
    IDLE,
    GROSS,
    TARE
  }

  private final ScaleSpec spec;
  private final BigDecimal maxSpread;
  private final long windowNanos;
  private final int minSamples;
  private final long timeoutNanos;
  private final DriverMetrics metrics;
  private final Deque<WeightReading> window = new ArrayDeque<>();

  private Phase phase = Phase.IDLE;
  private long phaseStart;
  private WeightReading gross;
  private WeightReading tare;
  private boolean grossTimedOut;
  private boolean overMax;
  private boolean tilt;

  /**
   * @param k stability band in scale intervals (spread must stay below k·e)
   */
  public LiftCycleWeigher(
      ScaleSpec spec,
      BigDecimal k,
      Duration window,
      int minSamples,
      Duration motionTimeout,
      DriverMetrics metrics) {
    this.spec = Objects.requireNonNull(spec, "spec");
    if (k.signum() <= 0
        || minSamples < 2
        || window.isNegative()
        || window.isZero()
        || motionTimeout.isNegative()
        || motionTimeout.isZero()) {
      throw new IllegalArgumentException(
          "want k > 0, minSamples >= 2, positive window and timeout");
    }
    this.maxSpread = k.multiply(spec.e());
    this.windowNanos = window.toNanos();
    this.minSamples = minSamples;
    this.timeoutNanos = motionTimeout.toNanos();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Starts a cycle: the bin is on the lifter, full. */
  public void startGross(Stamp now) {
    phase = Phase.GROSS;
    phaseStart = now.monotonicNanos();
    gross = null;
    tare = null;
    grossTimedOut = false;
    overMax = false;
    tilt = false;
    window.clear();
  }

  /** The lift has happened: the gross phase ends, the tare phase begins. */
  public void startTare(Stamp now) {
    if (phase != Phase.GROSS) {
      throw new IllegalStateException("startTare in phase " + phase + ", want GROSS");
    }
    grossTimedOut = gross == null;
    phase = Phase.TARE;
    phaseStart = now.monotonicNanos();
    window.clear();
  }

  /** The truck reports tilt beyond the instrument's limit during this cycle. */
  public void tilt() {
    tilt = true;
  }

  public void accept(WeightReading r) {
    if (phase == Phase.IDLE) {
      return;
    }
    if (r.range() != ScaleRange.IN_RANGE) {
      overMax |= r.range() != ScaleRange.UNDERLOAD;
      metrics.rejected("range");
      return;
    }
    if (r.weight().isEmpty() || r.status() == ReadingStatus.INVALID) {
      metrics.rejected("invalid");
      return;
    }
    if (r.unit().orElseThrow() != spec.unit()) {
      metrics.rejected("unit");
      return;
    }
    if (r.weight().get().compareTo(spec.max()) > 0) {
      overMax = true;
    }
    if (!stable(r)) {
      return;
    }
    metrics.accepted();
    if (phase == Phase.GROSS) {
      gross = r;
    } else if (tare == null) {
      tare = r;
    }
  }

  private boolean stable(WeightReading r) {
    if (r.motion() == Motion.MOTION) {
      window.clear();
      return false;
    }
    if (r.motion() == Motion.STABLE) {
      return true;
    }
    long now = r.stamp().monotonicNanos();
    window.addLast(r);
    while (!window.isEmpty() && now - window.peekFirst().stamp().monotonicNanos() > windowNanos) {
      window.removeFirst();
    }
    if (window.size() < minSamples) {
      return false;
    }
    BigDecimal lo = null;
    BigDecimal hi = null;
    for (WeightReading w : window) {
      BigDecimal v = w.weight().orElseThrow();
      lo = lo == null || v.compareTo(lo) < 0 ? v : lo;
      hi = hi == null || v.compareTo(hi) > 0 ? v : hi;
    }
    return hi.subtract(lo).compareTo(maxSpread) < 0;
  }

  /**
   * Returns the result once the tare phase has a stable reading or has timed out; empty while still
   * weighing.
   */
  public Optional<LiftWeighing> poll(Stamp now) {
    if (phase == Phase.GROSS && gross == null && now.monotonicNanos() - phaseStart > timeoutNanos) {
      grossTimedOut = true;
    }
    if (phase != Phase.TARE) {
      return Optional.empty();
    }
    boolean tareTimedOut = tare == null && now.monotonicNanos() - phaseStart > timeoutNanos;
    if (tare == null && !tareTimedOut) {
      return Optional.empty();
    }
    phase = Phase.IDLE;
    Optional<BigDecimal> g = Optional.ofNullable(gross).flatMap(WeightReading::weight);
    Optional<BigDecimal> t = Optional.ofNullable(tare).flatMap(WeightReading::weight);
    Optional<BigDecimal> net =
        g.isPresent() && t.isPresent() ? Optional.of(g.get().subtract(t.get())) : Optional.empty();
    boolean belowMin = net.map(n -> n.compareTo(spec.min()) < 0).orElse(false);
    return Optional.of(
        new LiftWeighing(
            spec,
            g,
            Optional.ofNullable(gross).map(WeightReading::stamp),
            t,
            Optional.ofNullable(tare).map(WeightReading::stamp),
            net,
            grossTimedOut || tareTimedOut,
            belowMin,
            overMax,
            tilt));
  }
}
