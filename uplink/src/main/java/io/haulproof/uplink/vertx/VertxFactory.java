package io.haulproof.uplink.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every Vert.x instance of the agent and the ledger with one blocked-thread policy: an event
 * loop may run one task for at most {@value #MAX_EVENT_LOOP_PROPERTY} ms (system property, default
 * {@value #DEFAULT_MAX_EVENT_LOOP_MS}); a task that runs longer is logged once as a WARN line
 * starting with {@value #MARKER} (with the blocked thread's stack) and counted by the caller's
 * counter, so that {@code /metrics} shows it.
 *
 * <p>Vert.x's own checker ({@code BlockedThreadChecker}) reports a blocked thread again at every
 * check while it stays blocked; here one blocked task counts once. Worker threads keep the limit
 * their caller sets ({@link VertxOptions#setMaxWorkerExecuteTime}) and are logged without the
 * marker and not counted: they are meant to block.
 */
public final class VertxFactory {
  /** System property: the event-loop time (ms) above which a task counts as blocking the loop. */
  public static final String MAX_EVENT_LOOP_PROPERTY = "haulproof.vertx.maxEventLoopMs";

  /** Vert.x's own default. */
  public static final long DEFAULT_MAX_EVENT_LOOP_MS = 2000;

  /** Starts the log line of every blocked event loop (tests and operators search for it). */
  public static final String MARKER = "EVENT_LOOP_BLOCKED";

  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);
  private static final AtomicLong BLOCKED = new AtomicLong();

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
  public static Vertx create(VertxOptions options, Runnable onBlockedEventLoop) {
    return create(options, maxEventLoopTime(), onBlockedEventLoop);
  }

  /**
   * A Vert.x instance from {@code options} (its event-loop limit and check interval replaced).
   *
   * @param maxEventLoopTime how long an event loop may run one task
   * @param onBlockedEventLoop called once per task that ran longer, on the checker's thread
   */
  public static Vertx create(
      VertxOptions options, Duration maxEventLoopTime, Runnable onBlockedEventLoop) {
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
    Map<Thread, Long> reported = new ConcurrentHashMap<>();
    ((VertxInternal) vertx)
        .blockedThreadChecker()
        .setThreadBlockedHandler(e -> blocked(e, reported, onBlockedEventLoop));
    return vertx;
  }

  /** Checks often enough to see a task a little over the limit: half the limit, 10 ms to 1 s. */
  static long checkIntervalMs(long maxMs) {
    return Math.min(1000, Math.max(10, maxMs / 2));
  }

  /** Blocked event-loop tasks seen in this JVM since it started (all instances; for tests). */
  public static long blockedEventLoops() {
    return BLOCKED.get();
  }

  private static void blocked(
      BlockedThreadEvent e, Map<Thread, Long> reported, Runnable onBlockedEventLoop) {
    Thread t = e.thread();
    boolean worker = !(t instanceof VertxThread vt) || vt.isWorker();
    long start = t instanceof VertxThread vt ? vt.startTime() : -1;
    Long before = reported.put(t, start);
    if (before != null && before == start && start != -1) {
      return; // the same task, still running: reported already
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(e.duration());
    long limit = TimeUnit.NANOSECONDS.toMillis(e.maxExecTime());
    Throwable where = new Throwable("stack of " + t.getName());
    where.setStackTrace(t.getStackTrace());
    if (worker) {
      LOG.warn("worker thread {} busy for {} ms (limit {} ms)", t.getName(), ms, limit, where);
      return;
    }
    BLOCKED.incrementAndGet();
    onBlockedEventLoop.run();
    LOG.warn("{} thread {} blocked for {} ms (limit {} ms)", MARKER, t.getName(), ms, limit, where);
  }
}
