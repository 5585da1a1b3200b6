package io.haulproof.uplink.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertxFactoryTest {
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    System.clearProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY);
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs tasks of {@code ms} each on one event-loop context; returns once all have run. */
  private static void onLoop(Vertx vertx, long... ms) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    for (long m : ms) {
      ctx.runOnContext(v -> sleep(m)); // deliberately holds the event loop
    }
    Promise<Void> after = Promise.promise();
    ctx.runOnContext(v -> after.complete()); // runs only after the tasks above
    after.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A running instance (its start-up done) that counts blocked tasks in {@code counted}. */
  private Vertx create(Duration limit, AtomicInteger counted) {
    BlockedLoopWatch watch = new BlockedLoopWatch(counted::incrementAndGet);
    vertx =
        VertxFactory.create(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setMaxWorkerExecuteTime(100)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS),
            limit,
            watch);
    watch.running();
    return vertx;
  }

  @Test
  void create_taskHoldsLoopFiveTimesTheLimit_countedOnce() throws Exception {
    // given a 100 ms limit (checked every 50 ms)
    AtomicInteger counted = new AtomicInteger();
    long before = BlockedLoopWatch.blockedEventLoops();
    Vertx v = create(Duration.ofMillis(100), counted);

    // when one task holds the loop 500 ms: the checker sees it blocked at about 8 checks
    onLoop(v, 500);

    // then it is one blocked task
    assertThat(counted.get()).isEqualTo(1);
    assertThat(BlockedLoopWatch.blockedEventLoops()).isEqualTo(before + 1);
  }

  @Test
  void create_twoTasksOverTheLimit_eachCounted() throws Exception {
    // given
    AtomicInteger counted = new AtomicInteger();
    Vertx v = create(Duration.ofMillis(100), counted);

    // when
    onLoop(v, 400, 400);

    // then
    assertThat(counted.get()).isEqualTo(2);
  }

  @Test
  void create_shortTasksAndWorkerOverItsLimit_nothingCounted() throws Exception {
    // given a 300 ms event-loop limit and a 100 ms worker limit
    AtomicInteger counted = new AtomicInteger();
    long before = BlockedLoopWatch.blockedEventLoops();
    Vertx v = create(Duration.ofMillis(300), counted);

    // when: short event-loop tasks, and a worker task four times its limit
    onLoop(v, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
    v.executeBlocking(
            () -> {
              sleep(400);
              return null;
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    // then: workers are meant to block
    assertThat(counted.get()).isZero();
    assertThat(BlockedLoopWatch.blockedEventLoops()).isEqualTo(before);
  }

  @Test
  void create_taskOverTheLimitWhileStarting_loggedNotCounted() throws Exception {
    // given an instance whose owner has not said it runs (class loading before READY)
    AtomicInteger counted = new AtomicInteger();
    long before = BlockedLoopWatch.blockedEventLoops();
    BlockedLoopWatch watch = new BlockedLoopWatch(counted::incrementAndGet);
    vertx =
        VertxFactory.create(
            new VertxOptions().setEventLoopPoolSize(1), Duration.ofMillis(100), watch);

    // when a task holds the loop while starting, then one after start-up
    onLoop(vertx, 300);
    watch.running();
    onLoop(vertx, 300);

    // then only the second counts
    assertThat(counted.get()).isEqualTo(1);
    assertThat(BlockedLoopWatch.blockedEventLoops()).isEqualTo(before + 1);
  }

  @Test
  void blocked_reportOfATaskThatHasSinceEnded_notCounted() throws Exception {
    // given a running instance and its event-loop thread, now idle
    AtomicInteger counted = new AtomicInteger();
    BlockedLoopWatch watch = new BlockedLoopWatch(counted::incrementAndGet);
    vertx =
        VertxFactory.create(
            new VertxOptions().setEventLoopPoolSize(1), Duration.ofMillis(100), watch);
    watch.running();
    CompletableFuture<Thread> loop = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> loop.complete(Thread.currentThread()));
    Thread thread = loop.get(10, TimeUnit.SECONDS);
    onLoop(vertx); // the loop has finished the task above

    // when the checker's report of a 500 ms task reaches the watch after the task ended
    watch.blocked(
        new BlockedThreadEvent(
            thread, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(100), 0));

    // then nothing is counted: the loop runs nothing now
    assertThat(counted.get()).isZero();
  }

  private static StackTraceElement frame(String cls, String method) {
    return new StackTraceElement(cls, method, "X.java", 1);
  }

  @Test
  void loadsClasses_stacks_onlyLoadingLinkingOrInitializingCounts() {
    StackTraceElement ours = frame("io.haulproof.lightchain.log.EvidenceLog", "append");
    StackTraceElement sleep = frame("java.lang.Thread", "sleep");
    assertThat(
            BlockedLoopWatch.loadsClasses(
                new StackTraceElement[] {frame("java.lang.ClassLoader", "defineClass1"), ours}))
        .isTrue();
    assertThat(
            BlockedLoopWatch.loadsClasses(
                new StackTraceElement[] {
                  frame("java.lang.invoke.MethodHandleNatives", "linkCallSite"), ours
                }))
        .isTrue();
    assertThat(
            BlockedLoopWatch.loadsClasses(
                new StackTraceElement[] {frame("io.netty.buffer.ByteBufAllocator", "<clinit>")}))
        .isTrue();
    assertThat(BlockedLoopWatch.loadsClasses(new StackTraceElement[] {sleep, ours})).isFalse();
    assertThat(BlockedLoopWatch.loadsClasses(new StackTraceElement[0])).isFalse();
  }

  @Test
  void maxEventLoopTime_property_readAndValidated() {
    assertThat(VertxFactory.maxEventLoopTime()).isEqualTo(Duration.ofMillis(2000));
    System.setProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, "150");
    assertThat(VertxFactory.maxEventLoopTime()).isEqualTo(Duration.ofMillis(150));
    System.setProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, "0");
    assertThatThrownBy(VertxFactory::maxEventLoopTime)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("haulproof.vertx.maxEventLoopMs=0");
    System.setProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, "fast");
    assertThatThrownBy(VertxFactory::maxEventLoopTime)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole number");
  }

  @Test
  void checkIntervalMs_limits_halfTheLimitBetween10MsAnd1s() {
    assertThat(VertxFactory.checkIntervalMs(1)).isEqualTo(10);
    assertThat(VertxFactory.checkIntervalMs(200)).isEqualTo(100);
    assertThat(VertxFactory.checkIntervalMs(60_000)).isEqualTo(1000);
  }
}
