package io.haulproof.agent.fleetbench;

import java.time.Duration;

/**
 * How simulated trucks publish over time.
 *
 * @param perTruckPerS entries per second each truck produces (a city truck lifts about 1,200 bins
 *     in an 8-hour shift, 0.04/s); 0 publishes as fast as the ledgers take them
 * @param outageTrucks how many trucks (the first ones) lose coverage
 * @param outageAt when, from the start of the run, they go offline
 * @param outageFor how long they stay offline: they publish nothing and keep lifting, then send
 *     their backlog at once, like a truck back in coverage
 */
public record Pace(double perTruckPerS, int outageTrucks, Duration outageAt, Duration outageFor) {
  public Pace {
    if (perTruckPerS < 0 || outageTrucks < 0 || outageAt.isNegative() || outageFor.isNegative()) {
      throw new IllegalArgumentException("pace: rates, counts and times must be >= 0");
    }
  }

  /** As fast as the ledgers take them, nobody offline. */
  public static Pace unpaced() {
    return new Pace(0, 0, Duration.ZERO, Duration.ZERO);
  }

  boolean paced() {
    return perTruckPerS > 0;
  }

  /** Whether {@code truck} is out of coverage {@code elapsedNanos} into the run. */
  boolean offline(int truck, long elapsedNanos) {
    return truck < outageTrucks
        && elapsedNanos >= outageAt.toNanos()
        && elapsedNanos < outageAt.plus(outageFor).toNanos();
  }

  /**
   * How many of its {@code size} entries {@code truck} has produced by {@code elapsedNanos}, in
   * whole checkpoints of {@code every}. Trucks are spread evenly over one checkpoint period, so the
   * fleet does not publish in lock step.
   */
  long produced(int truck, int trucks, int every, int size, long elapsedNanos) {
    if (!paced()) {
      return size;
    }
    double period = every / perTruckPerS; // seconds per checkpoint
    double t = elapsedNanos / 1e9 + period * truck / Math.max(1, trucks);
    long chunks = (long) Math.floor(t / period);
    return Math.min(size, chunks * every);
  }
}
