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
 * <p>Not counted, but logged without the marker: a task that began while the instance started
 * (verticles deployed, the HTTP server bound), and a check that finds the loop loading, linking or
 * initializing classes. The first use of Vert.x Web, Netty or a lambda does that on the event loop,
 * once: on a loaded 2-core machine it held a loop for up to 677 ms at start-up and 501 ms at the
 * first request (BENCHMARKS.md, "Blocked event loops"). It is not a blocking call, and a later
 * check of the same task still counts it if it is then blocked elsewhere. Vert.x reports a blocked
 * thread again at every check while it stays blocked; here one task counts once. Worker threads are
 * meant to block: over their own limit they are logged, not counted. A report of a task that has
 * ended by the time it reaches the watch is dropped: the checker measures the task, then calls the
 * watch, and in between the loop may have moved on to a task that is not over the limit.
 */
public final class BlockedLoopWatch {
  private static final Logger LOG = LoggerFactory.getLogger(BlockedLoopWatch.class);
  private static final AtomicLong BLOCKED = new AtomicLong();

  private final Runnable onBlockedEventLoop;
  private final Map<Thread, Long> counted = new ConcurrentHashMap<>(); // thread → task reported
  private final Map<Thread, Long> warm = new ConcurrentHashMap<>(); // thread → task logged only
  private volatile long runningSince; // System.nanoTime() of running(); 0 while starting

  /**
   * @param onBlockedEventLoop called once per blocked event-loop task once running (e.g. a metrics
   *     counter), on the checker's thread
   */
  public BlockedLoopWatch(Runnable onBlockedEventLoop) {
    this.onBlockedEventLoop = onBlockedEventLoop;
  }

  /** The instance has started: from now on a blocked event loop counts. */
  public void running() {
    runningSince = System.nanoTime();
  }

  /** Blocked event-loop tasks counted in this JVM since it started (all instances; for tests). */
  public static long blockedEventLoops() {
    return BLOCKED.get();
  }

  void blocked(BlockedThreadEvent e) {
    Thread t = e.thread();
    long ms = TimeUnit.NANOSECONDS.toMillis(e.duration());
    long limit = TimeUnit.NANOSECONDS.toMillis(e.maxExecTime());
    if (!(t instanceof VertxThread vt) || vt.isWorker()) {
      Long task = t instanceof VertxThread w ? w.startTime() : null;
      if (task == null || !task.equals(counted.put(t, task))) { // each task once
        LOG.warn(
            "worker thread {} busy for {} ms (limit {} ms)", t.getName(), ms, limit, stackOf(t));
      }
      return;
    }
    long start = vt.startTime();
    if (counted.getOrDefault(t, 0L) == start) {
      return; // the same task, still running: reported already
    }
    if (!stillOverLimit(start, e.maxExecTime())) {
      return; // the task the checker saw has ended since; the loop now runs another, or nothing
    }
    StackTraceElement[] stack = t.getStackTrace();
    boolean running = startedAfterRunning(start);
    if (!running || loadsClasses(stack)) {
      if (!Long.valueOf(start).equals(warm.put(t, start))) {
        LOG.warn(
            "event loop {} held {} ms {} (limit {} ms; not counted)",
            t.getName(),
            ms,
            running ? "loading classes" : "while starting",
            limit,
            stackOf(t, stack));
      }
      return; // a later check of the same task may still find it blocked in our code
    }
    counted.put(t, start);
    BLOCKED.incrementAndGet();
    onBlockedEventLoop.run();
    LOG.warn(
        "{} thread {} blocked for {} ms (limit {} ms)",
        VertxFactory.MARKER,
        t.getName(),
        ms,
        limit,
        stackOf(t, stack));
  }

  private static Throwable stackOf(Thread t) {
    return stackOf(t, t.getStackTrace());
  }

  /** The blocked thread's stack, as a throwable for the log line. */
  private static Throwable stackOf(Thread t, StackTraceElement[] stack) {
    Throwable where = new Throwable("stack of " + t.getName());
    where.setStackTrace(stack);
    return where;
  }

  /**
   * Whether the loop's current task (started at {@code start}, {@link System#nanoTime()}, 0 for
   * none) has run over the limit. The checker measured the task it saw before calling us; by now
   * that task may have ended, and counting the next one for it would count a task twice or count a
   * start-up task after {@link #running()}.
   */
  private static boolean stillOverLimit(long start, long maxExecNanos) {
    return start != 0 && System.nanoTime() - start >= maxExecNanos;
  }

  /** Whether the task started once the instance ran (tasks of its start-up are not counted). */
  private boolean startedAfterRunning(long start) {
    long since = runningSince;
    return since != 0 && start - since >= 0;
  }

  /**
   * Whether the stack is loading, linking or initializing a class (the JVM's one-time work on the
   * first use of a class or lambda), not running our code or a blocking call.
   */
  static boolean loadsClasses(StackTraceElement[] stack) {
    for (StackTraceElement f : stack) {
      String c = f.getClassName();
      if (c.startsWith("jdk.internal.loader.")
          || c.startsWith("jdk.internal.org.objectweb.asm.")
          || c.equals("java.lang.ClassLoader")
          || c.equals("java.lang.invoke.MethodHandleNatives")
          || c.equals("java.lang.invoke.InnerClassLambdaMetafactory")
          || c.equals("java.lang.invoke.InvokerBytecodeGenerator")
          || f.getMethodName().equals("<clinit>")) {
        return true;
      }
    }
    return false;
  }
}
