package io.haulproof.agent.runtime;

import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.scale.LiftCycleWeigher;
import io.haulproof.drivers.scale.LiftWeighing;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Drives the drivers' {@link LiftCycleWeigher} from the weight stream alone, for trucks that give
 * no lifter signal: a load above the threshold starts the gross phase (bin hooked on); the first
 * motion after a stable gross starts the tare phase (the lift); the result comes with the first
 * stable tare (or a timeout); the lifter must then unload below the threshold before the next
 * cycle.
 *
 * <p>Not thread-safe: the scale's read loop owns it.
 */
final class LiftCycleTracker {
  private enum State {
    IDLE,
    GROSS,
    TARE,
    WAIT_EMPTY
  }

  private final LiftCycleWeigher weigher;
  private final BigDecimal loadedThreshold;
  private final long motionTimeoutNanos;
  private State state = State.IDLE;
  private boolean seenStable;
  private long grossStartNanos;

  LiftCycleTracker(LiftCycleWeigher weigher, BigDecimal loadedThreshold, long motionTimeoutNanos) {
    this.weigher = weigher;
    this.loadedThreshold = loadedThreshold;
    this.motionTimeoutNanos = motionTimeoutNanos;
  }

  /** Feeds one reading; returns a completed lift cycle, if this reading completed one. */
  Optional<LiftWeighing> accept(WeightReading r) {
    boolean loaded =
        r.weight()
            .map(w -> w.compareTo(loadedThreshold) >= 0)
            .orElse(r.range() == ScaleRange.OVERLOAD);
    switch (state) {
      case IDLE -> {
        if (loaded) {
          weigher.startGross(r.stamp());
          grossStartNanos = r.stamp().monotonicNanos();
          seenStable = false;
          state = State.GROSS;
          accept(r);
        }
      }
      case GROSS -> {
        boolean motion = r.motion() == Motion.MOTION;
        boolean timedOut = r.stamp().monotonicNanos() - grossStartNanos > motionTimeoutNanos;
        if (motion && (seenStable || timedOut)) {
          weigher.startTare(r.stamp());
          state = State.TARE;
          weigher.accept(r);
          return poll(r.stamp());
        }
        weigher.accept(r);
        seenStable |= r.isStableInRange();
      }
      case TARE -> {
        weigher.accept(r);
        return poll(r.stamp());
      }
      case WAIT_EMPTY -> {
        if (!loaded && r.isStableInRange()) {
          state = State.IDLE;
        }
      }
    }
    return Optional.empty();
  }

  /** Time-driven: closes a tare phase that timed out. */
  Optional<LiftWeighing> poll(Stamp now) {
    if (state != State.TARE) {
      return Optional.empty();
    }
    Optional<LiftWeighing> result = weigher.poll(now);
    if (result.isPresent()) {
      state = State.WAIT_EMPTY;
    }
    return result;
  }
}
