package io.haulproof.uplink.vertx;

import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one Vert.x instance for event-loop tasks that run over the limit ({@link VertxFactory}):
 * once the instance {@link #running() runs}, each such task is logged once as a WARN line starting
 * with {@value VertxFactory#MARKER}, with the blocked thread's stack, and counted.
 *
 * <p>While the instance starts (verticles deployed, the HTTP server bound), the first use of Vert.x
 * Web and Netty loads and links hundreds of classes on the event loop: on a loaded 2-core machine
 * that held a loop for up to 677 ms (BENCHMARKS.md, "Blocked event loops"). Such a task is logged
 * without the marker and not counted: it is a one-time cost before READY, not a blocking call.
 * Vert.x reports a blocked thread again at every check while it stays blocked; here one task counts
 * once. Worker threads are meant to block: over their own limit they are logged, not counted.
 */
public final class BlockedLoopWatch {
  private static final Logger LOG = LoggerFactory.getLogger(BlockedLoopWatch.class);
  private static final AtomicLong BLOCKED = new AtomicLong();

  private final Runnable onBlockedEventLoop;
  private final Map<Thread, Long> reported = new ConcurrentHashMap<>();
  private volatile boolean running;

  /**
   * @param onBlockedEventLoop called once per blocked event-loop task once running (e.g. a metrics
   *     counter), on the checker's thread
   */
  public BlockedLoopWatch(Runnable onBlockedEventLoop) {
    this.onBlockedEventLoop = onBlockedEventLoop;
  }

  /** The instance has started: from now on a blocked event loop counts. */
  public void running() {
    running = true;
  }

  /** Blocked event-loop tasks counted in this JVM since it started (all instances; for tests). */
  public static long blockedEventLoops() {
    return BLOCKED.get();
  }

  void blocked(BlockedThreadEvent e) {
    Thread t = e.thread();
    VertxThread vt = t instanceof VertxThread v ? v : null;
    long start = vt == null ? -1 : vt.startTime();
    Long before = reported.put(t, start);
    if (vt != null && before != null && before == start) {
      return; // the same task, still running: reported already
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(e.duration());
    long limit = TimeUnit.NANOSECONDS.toMillis(e.maxExecTime());
    Throwable where = new Throwable("stack of " + t.getName());
    where.setStackTrace(t.getStackTrace());
    if (vt == null || vt.isWorker()) {
      LOG.warn("worker thread {} busy for {} ms (limit {} ms)", t.getName(), ms, limit, where);
    } else if (!running) {
      LOG.warn(
          "event loop {} held {} ms while starting (limit {} ms)", t.getName(), ms, limit, where);
    } else {
      BLOCKED.incrementAndGet();
      onBlockedEventLoop.run();
      LOG.warn(
          "{} thread {} blocked for {} ms (limit {} ms)",
          VertxFactory.MARKER,
          t.getName(),
          ms,
          limit,
          where);
    }
  }
}
