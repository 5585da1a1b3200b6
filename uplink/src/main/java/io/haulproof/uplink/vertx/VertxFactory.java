package io.haulproof.uplink.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds every Vert.x instance of the agent and the ledger with one blocked-thread policy: an event
 * loop may run one task for at most {@value #MAX_EVENT_LOOP_PROPERTY} ms (system property, default
 * {@value #DEFAULT_MAX_EVENT_LOOP_MS}); a {@link BlockedLoopWatch} logs and counts a task that runs
 * longer, so that {@code /metrics} shows it. Worker threads keep the limit their caller sets
 * ({@link VertxOptions#setMaxWorkerExecuteTime}).
 */
public final class VertxFactory {
  /** System property: the event-loop time (ms) above which a task counts as blocking the loop. */
  public static final String MAX_EVENT_LOOP_PROPERTY = "haulproof.vertx.maxEventLoopMs";

  /** Vert.x's own default. */
  public static final long DEFAULT_MAX_EVENT_LOOP_MS = 2000;

  /**
   * Starts the log line of every counted blocked event loop (tests and operators search for it).
   */
  public static final String MARKER = "EVENT_LOOP_BLOCKED";

  private VertxFactory() {}

  /** The event-loop limit: {@value #MAX_EVENT_LOOP_PROPERTY} ms, default 2000. */
  public static Duration maxEventLoopTime() {
    String v = System.getProperty(MAX_EVENT_LOOP_PROPERTY);
    if (v == null || v.isBlank()) {
      return Duration.ofMillis(DEFAULT_MAX_EVENT_LOOP_MS);
    }
    try {
      long ms = Long.parseLong(v.trim());
      if (ms < 1) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + MAX_EVENT_LOOP_PROPERTY + "=" + v + ": want a whole number of ms, at least 1");
    }
  }

  /** A Vert.x instance with the limit of {@link #maxEventLoopTime()}. */
  public static Vertx create(VertxOptions options, BlockedLoopWatch watch) {
    return create(options, maxEventLoopTime(), watch);
  }

  /**
   * A Vert.x instance from {@code options} (its event-loop limit and check interval replaced),
   * watched by {@code watch}.
   *
   * @param maxEventLoopTime how long an event loop may run one task
   */
  public static Vertx create(
      VertxOptions options, Duration maxEventLoopTime, BlockedLoopWatch watch) {
    long maxMs = Math.max(1, maxEventLoopTime.toMillis());
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions(options)
                    .setMaxEventLoopExecuteTime(maxMs)
                    .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                    .setBlockedThreadCheckInterval(checkIntervalMs(maxMs))
                    .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS))
            .build();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(watch::blocked);
    return vertx;
  }

  /** Checks often enough to see a task a little over the limit: half the limit, 10 ms to 1 s. */
  static long checkIntervalMs(long maxMs) {
    return Math.min(1000, Math.max(10, maxMs / 2));
  }
}
