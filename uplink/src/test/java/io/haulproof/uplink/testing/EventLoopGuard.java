package io.haulproof.uplink.testing;

import io.haulproof.uplink.vertx.BlockedLoopWatch;
import io.haulproof.uplink.vertx.VertxFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a full-wiring test fail when an event loop was blocked (STYLE.md: "tests set a low {@code
 * maxEventLoopExecuteTime} so that violations show"): the one place that sets the test limit
 * ({@value #LIMIT_MS} ms) and checks it.
 *
 * <ul>
 *   <li>In process: {@code @ExtendWith(EventLoopGuard.class)} sets {@value
 *       VertxFactory#MAX_EVENT_LOOP_PROPERTY} for the test class (every Vert.x instance built by
 *       {@link VertxFactory} in it takes the limit) and fails the test, or the class after its
 *       {@code @AfterAll}, in which {@link BlockedLoopWatch#blockedEventLoops()} grew.
 *   <li>A child process ({@code haulproof run}, {@code demo}, {@code ledger}): start it with {@link
 *       #jvmArg()} and pass its output to {@link #assertNotBlocked}, which fails on a line with
 *       {@value VertxFactory#MARKER}.
 * </ul>
 *
 * <p>The limit is a quarter of Vert.x's 2 s default, and about twice the longest stall of an
 * ordinary task measured while these tests ran on the loaded 2-core machine (266 ms at load 10-13;
 * at 200 ms they failed now and then on such stalls): BENCHMARKS.md, "Blocked event loops".
 */
public final class EventLoopGuard
    implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  /** The event-loop limit of full-wiring tests. */
  public static final long LIMIT_MS = 500;

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(EventLoopGuard.class);

  /** The JVM argument that gives a child process the test limit. */
  public static String jvmArg() {
    return "-D" + VertxFactory.MAX_EVENT_LOOP_PROPERTY + "=" + LIMIT_MS;
  }

  /**
   * Fails if {@code output} (a process's stderr, or stdout and stderr together) reports a blocked
   * event loop.
   *
   * @param what the process, for the message (e.g. {@code "haulproof run"})
   */
  public static void assertNotBlocked(String what, String output) {
    List<String> lines = output.lines().toList();
    List<String> blocked = lines.stream().filter(l -> l.contains(VertxFactory.MARKER)).toList();
    if (!blocked.isEmpty()) {
      int first = lines.indexOf(blocked.get(0));
      throw new AssertionError(
          what
              + " blocked an event loop "
              + blocked.size()
              + " time(s) (limit "
              + LIMIT_MS
              + " ms); first report:\n"
              + lines.stream().skip(first).limit(40).collect(Collectors.joining("\n")));
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NS);
    store.put("previous", System.getProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, ""));
    System.setProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, Long.toString(LIMIT_MS));
    store.put("seen", BlockedLoopWatch.blockedEventLoops());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getParent().orElseThrow().getStore(NS), context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NS);
    String previous = store.get("previous", String.class);
    if (previous == null || previous.isEmpty()) {
      System.clearProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY);
    } else {
      System.setProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, previous);
    }
    check(store, context);
  }

  /** Fails if blocked tasks were counted since the last check of this class. */
  private static void check(ExtensionContext.Store store, ExtensionContext context) {
    long seen = store.get("seen", Long.class);
    long now = BlockedLoopWatch.blockedEventLoops();
    store.put("seen", now);
    if (now > seen) {
      throw new AssertionError(
          context.getDisplayName()
              + ": "
              + (now - seen)
              + " event-loop task(s) ran over "
              + LIMIT_MS
              + " ms (see the "
              + VertxFactory.MARKER
              + " lines in the test output for the stack)");
    }
  }
}
