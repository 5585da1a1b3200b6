package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.BinRegistry;
import io.haulproof.lightchain.testing.Await;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A driver's reader loop thread that dies is a liveness failure: keep-alives stop so systemd
 * restarts the agent; a sensor that is merely not delivering is only a readiness failure and
 * keep-alives go on.
 */
class DeadSensorLoopTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  private final AgentRuntimeTest.CountingNotifier notifier =
      new AgentRuntimeTest.CountingNotifier();
  private AgentRuntime runtime;

  @AfterEach
  void tearDown() {
    if (runtime != null) {
      runtime.stop().toCompletionStage().toCompletableFuture().join();
    }
  }

  /**
   * A source whose transport has a real reader thread, reported the way {@code SerialTransport}
   * reports it.
   */
  private static final class ThreadedSource implements SensorSource {
    final CountDownLatch die = new CountDownLatch(1);
    volatile boolean delivering = true;
    private final Thread reader =
        new Thread(
            () -> {
              try {
                die.await();
              } catch (InterruptedException e) {
                return;
              }
              throw new StackOverflowError("decoder recursion");
            },
            "serial-test");
    private final CountDownLatch closed = new CountDownLatch(1);

    ThreadedSource() {
      reader.setDaemon(true);
      reader.setUncaughtExceptionHandler((t, e) -> {});
    }

    @Override
    public String name() {
      return "rfid";
    }

    @Override
    public void open() {
      if (reader.getState() == Thread.State.NEW) {
        reader.start();
      }
    }

    @Override
    public void run(SensorSink sink) throws InterruptedException {
      closed.await();
    }

    @Override
    public LinkStatus link() {
      if (!reader.isAlive()) {
        return new LinkStatus(LinkStatus.State.DEAD, "/dev/ttyUSB0@9600 reader thread died", 0);
      }
      return delivering
          ? LinkStatus.up("/dev/ttyUSB0@9600 open")
          : new LinkStatus(LinkStatus.State.DOWN, "/dev/ttyUSB0@9600 reconnecting: port lost", 1);
    }

    @Override
    public void close() {
      reader.interrupt();
      closed.countDown();
    }
  }

  private void start(SensorSource source) {
    RuntimeParts parts =
        new RuntimeParts(
            "truck-1",
            AgentClock.system(),
            null,
            new BinRegistry(false, List.of()),
            new MemoryEvidence(),
            null,
            new RecordingUplink(new java.util.ArrayList<>()),
            List.of(source),
            new ChainConfig(100, 200L, 60_000L),
            null,
            notifier,
            20,
            List.of());
    runtime = new AgentRuntime(parts, new VertxOptions());
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.start().toCompletionStage().toCompletableFuture().join());
  }

  @Test
  void sensorNotDelivering_notReadyButLive_keepAlivesGoOn() {
    // given
    ThreadedSource source = new ThreadedSource();
    start(source);
    Await.until(
        () -> runtime.health().report().ready(), HANG_GUARD, "runtime.health().report().ready()");
    // when
    source.delivering = false;
    // then
    Await.until(
        () -> !runtime.health().report().ready(), HANG_GUARD, "!runtime.health().report().ready()");
    HealthRegistry.Report r = runtime.health().report();
    assertThat(r.live()).isTrue();
    assertThat(r.reason()).isEqualTo("sensor-rfid: /dev/ttyUSB0@9600 reconnecting: port lost");
    int before = notifier.watchdog.get();
    Await.until(
        () -> notifier.watchdog.get() > before + 3,
        HANG_GUARD,
        "notifier.watchdog.get() > before + 3");
    Await.until(
        () -> runtime.metrics().count("haulproof.sensor.failures", "sensor", "rfid") == 1,
        HANG_GUARD,
        "runtime.metrics().count(\"haulproof.sensor.failures\", \"sensor\", \"rfid\") == 1");
  }

  @Test
  void readerThreadDies_livenessFailsAndKeepAlivesStop() throws Exception {
    // given
    ThreadedSource source = new ThreadedSource();
    start(source);
    Await.until(() -> notifier.watchdog.get() > 0, HANG_GUARD, "notifier.watchdog.get() > 0");
    assertThat(runtime.health().report().live()).isTrue();
    // when
    source.die.countDown();
    // then
    Await.until(
        () -> !runtime.health().report().live(), HANG_GUARD, "!runtime.health().report().live()");
    HealthRegistry.Report r = runtime.health().report();
    assertThat(r.ready()).isFalse();
    assertThat(r.reason())
        .isEqualTo("not live: loop-sensor-rfid: /dev/ttyUSB0@9600 reader thread died");
    int stopped = notifier.watchdog.get();
    // ten watchdog ticks that found the agent not live and withheld the keep-alive
    Await.until(
        () -> runtime.metrics().count("haulproof.watchdog.withheld", null, null) >= 10,
        HANG_GUARD,
        "runtime.metrics().count(\"haulproof.watchdog.withheld\", null, null) >= 10");
    assertThat(notifier.watchdog.get()).isLessThanOrEqualTo(stopped + 1);
  }
}
