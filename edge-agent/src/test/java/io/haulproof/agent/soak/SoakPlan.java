package io.haulproof.agent.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When the soak restarts the broker and when it takes it away for the long outage.
 *
 * <p>The suite runs {@link #suite()} (3 minutes, a {@code kill -9} and restart every 40 s, one 60 s
 * outage); {@code bench/soak.sh} runs {@link #longMode()} (30 minutes, a restart every 3 minutes,
 * one 10-minute outage). Each value can be overridden with a system property ({@code
 * soak.duration}, {@code soak.restartEvery}, {@code soak.outageAt}, {@code soak.outage}, ISO-8601
 * durations such as {@code PT30M}), and {@code soak.mode=long} selects the long plan.
 *
 * @param duration how long lifts are driven
 * @param restartEvery a broker {@code kill -9} and restart at each multiple of this, outside the
 *     outage
 * @param outageAt when the long outage starts
 * @param outage how long the broker stays down
 * @param liftIntervalMs time per lift (100 ms is 10 lifts/s)
 */
record SoakPlan(
    Duration duration,
    Duration restartEvery,
    Duration outageAt,
    Duration outage,
    long liftIntervalMs) {

  /** A broker event at {@code at} after the start; {@code down} is zero for a restart. */
  record BrokerEvent(Duration at, Duration down) {
    boolean isOutage() {
      return !down.isZero();
    }
  }

  static SoakPlan suite() {
    return new SoakPlan(
        Duration.ofMinutes(3),
        Duration.ofSeconds(40),
        Duration.ofSeconds(90),
        Duration.ofSeconds(60),
        100);
  }

  static SoakPlan longMode() {
    return new SoakPlan(
        Duration.ofMinutes(30),
        Duration.ofMinutes(3),
        Duration.ofMinutes(10),
        Duration.ofMinutes(10),
        100);
  }

  /** The plan chosen by system properties (see the class comment). */
  static SoakPlan fromSystemProperties() {
    SoakPlan base = "long".equals(System.getProperty("soak.mode")) ? longMode() : suite();
    return new SoakPlan(
        duration("soak.duration", base.duration()),
        duration("soak.restartEvery", base.restartEvery()),
        duration("soak.outageAt", base.outageAt()),
        duration("soak.outage", base.outage()),
        base.liftIntervalMs());
  }

  private static Duration duration(String property, Duration otherwise) {
    String v = System.getProperty(property);
    return v == null || v.isBlank() ? otherwise : Duration.parse(v);
  }

  /** Lifts on the route: the duration at one lift per interval. */
  int lifts() {
    return (int) (duration.toMillis() / liftIntervalMs);
  }

  /**
   * Restarts at each multiple of {@code restartEvery} that is not within the outage (or within
   * {@code restartEvery / 2} after it), the outage itself, in time order; nothing in the last tenth
   * of the run, so that the last event's effect is seen before the route ends.
   */
  List<BrokerEvent> events() {
    List<BrokerEvent> events = new ArrayList<>();
    Duration outageEnd = outageAt.plus(outage);
    Duration lastAllowed = duration.minus(duration.dividedBy(10));
    boolean outagePlaced = false;
    for (Duration t = restartEvery; t.compareTo(lastAllowed) < 0; t = t.plus(restartEvery)) {
      if (!outagePlaced && t.compareTo(outageAt) >= 0) {
        events.add(new BrokerEvent(outageAt, outage));
        outagePlaced = true;
      }
      boolean clear =
          t.compareTo(outageAt) < 0 || t.compareTo(outageEnd.plus(restartEvery.dividedBy(2))) >= 0;
      if (clear) {
        events.add(new BrokerEvent(t, Duration.ZERO));
      }
    }
    if (!outagePlaced) {
      events.add(new BrokerEvent(outageAt, outage));
    }
    return events;
  }
}
