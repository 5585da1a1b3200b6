package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.lift.LifterSide;
import io.haulproof.agent.lift.Outcome;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.TagTechnology;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.vertx.VertxFactory;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  private MemoryEvidence evidence;
  private RecordingUplink uplink;
  private ScriptedSource rfid;
  private ScriptedSource scale;
  private CountingNotifier notifier;
  private AgentRuntime runtime;

  @BeforeEach
  void setUp() {
    evidence = new MemoryEvidence();
    uplink = new RecordingUplink(evidence.calls);
    rfid = new ScriptedSource("rfid");
    scale = new ScriptedSource("scale");
    notifier = new CountingNotifier();
  }

  @AfterEach
  void tearDown() {
    if (runtime != null) {
      runtime.stop().toCompletionStage().toCompletableFuture().join();
    }
  }

  private AgentRuntime newRuntime(long watchdogMs) {
    RuntimeParts parts =
        RuntimeFixtures.truckOneParts(
            evidence, uplink, List.of(rfid, scale), null, notifier, watchdogMs);
    // the agent's own limit setting (VertxFactory), low so that a blocking call shows
    System.setProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY, "200");
    try {
      return new AgentRuntime(parts, new VertxOptions());
    } finally {
      System.clearProperty(VertxFactory.MAX_EVENT_LOOP_PROPERTY);
    }
  }

  private double blockedEventLoops() {
    return runtime.metrics().count("haulproof.event.loop.blocked", null, null);
  }

  private static TagRead tag(String id) {
    return new TagRead(
        "ab", id, TagTechnology.FDX_B, 1, null, "rear", LifterSide.REAR_COMB, System.nanoTime());
  }

  private static Weighing weighing() {
    return RuntimeFixtures.weighing(System.nanoTime());
  }

  private void startRuntime(long watchdogMs) {
    runtime = newRuntime(watchdogMs);
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.start().toCompletionStage().toCompletableFuture().join());
  }

  @Test
  void witnessConflict_reportedByUplink_showsInHealthMetricsAndStatusPageOverHttp()
      throws Exception {
    // given a running agent with HTTP
    runtime =
        new AgentRuntime(
            RuntimeFixtures.truckOneParts(
                evidence,
                uplink,
                List.of(rfid, scale),
                new io.haulproof.agent.config.HttpConfig("127.0.0.1", 0),
                notifier,
                0),
            new VertxOptions());
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.start().toCompletionStage().toCompletableFuture().join());
    String base = "http://127.0.0.1:" + runtime.httpPort();
    assertThat(get(base + "/health")).contains("\"witness\"").contains("no conflict");
    // when the witness reports a fork
    uplink.lastWitnessConflict = "fork: root ab at size 7, witnessed root cd";
    uplink.witnessConflicts = 1;
    Await.until(
        () -> runtime.board().snapshot().get("witness_conflict") != null,
        HANG_GUARD,
        "runtime.board().snapshot().get(\"witness_conflict\") != null");
    // then
    String health = get(base + "/health");
    assertThat(health).contains("witness conflict (1): fork: root ab at size 7");
    assertThat(runtime.health().report().ready()).isTrue();
    assertThat(get(base + "/metrics")).contains("haulproof_witness_conflicts 1.0");
    assertThat(get(base + "/api/status"))
        .contains("\"witness_conflict\":{\"count\":1,\"reason\":\"fork: root ab at size 7");
    assertThat(get(base + "/status/index.html")).contains("id=\"witness-conflict\"");
    assertThat(get(base + "/status/status.js")).contains("s.witness_conflict");
  }

  private static String get(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void start_allPartsUp_isReadyAndNotifiesReadyOnce() {
    // when
    startRuntime(0);
    // then
    assertThat(runtime.health().report().ready()).isTrue();
    assertThat(runtime.health().report().checks())
        .containsKeys("log", "chain", "uplink", "sensor-rfid", "sensor-scale");
    assertThat(notifier.ready.get()).isEqualTo(1);
  }

  @Test
  void readings_tagThenLiftCycle_appendOneEmptiedEventAndShowItOnTheBoard() {
    // given
    startRuntime(0);
    // when
    rfid.emit(s -> s.tag(tag("bin-1")));
    Await.until(
        () -> runtime.health().report().ready(), HANG_GUARD, "runtime.health().report().ready()");
    scale.emit(s -> s.weighing(weighing()));
    // then
    Await.until(() -> evidence.entries.size() == 1, HANG_GUARD, "evidence.entries.size() == 1");
    assertThat(evidence.entries.get(0).outcome()).isEqualTo(Outcome.EMPTIED);
    assertThat(evidence.entries.get(0).weighing().net()).isEqualByComparingTo("40.5");
    Await.until(
        () -> runtime.board().lastLifts().size() == 1,
        HANG_GUARD,
        "runtime.board().lastLifts().size() == 1");
    assertThat(runtime.metrics().count("haulproof.lifts", "outcome", "EMPTIED")).isEqualTo(1);
    assertThat(uplink.pokes).isPositive();
  }

  @Test
  void crewInput_onEventBus_appendsExceptionEvent() {
    // given
    startRuntime(0);
    // when
    runtime.vertx().eventBus().send(Addresses.CREW, new CrewInput(ExceptionCode.NOT_OUT, "bin-1"));
    // then
    Await.until(() -> evidence.entries.size() == 1, HANG_GUARD, "evidence.entries.size() == 1");
    assertThat(evidence.entries.get(0).outcome()).isEqualTo(Outcome.NOT_OUT);
  }

  @Test
  void stop_pendingTag_isRecordedThenFinalCheckpointThenUplinkStopsThenLogCloses() {
    // given a tag still waiting for its lift cycle
    startRuntime(0);
    AtomicInteger tagsDelivered = new AtomicInteger();
    runtime
        .vertx()
        .eventBus()
        .addInboundInterceptor(
            ctx -> {
              // runs on the lift verticle's event loop, in the same task as its tag handler, so
              // the stop below (queued on that loop) comes after the tag is held as pending
              if (Addresses.TAG.equals(ctx.message().address())) {
                tagsDelivered.incrementAndGet();
              }
              ctx.next();
            });
    rfid.emit(s -> s.tag(tag("bin-1")));
    Await.until(() -> tagsDelivered.get() == 1, HANG_GUARD, "tagsDelivered.get() == 1");
    assertThat(runtime.metrics().count("haulproof.lifts", "outcome", "EMPTIED")).isZero();
    // when
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.stop().toCompletionStage().toCompletableFuture().join());
    // then
    List<String> calls = evidence.callsSnapshot();
    assertThat(evidence.entries).hasSize(1);
    assertThat(calls).containsSubsequence("append", "checkpoint 1", "uplink stop", "close");
    assertThat(notifier.stopping.get()).isEqualTo(1);
  }

  @Test
  void runtime_underLoad_neverBlocksAnEventLoop() {
    // given
    startRuntime(0);
    // when
    for (int i = 0; i < 200; i++) {
      rfid.emit(s -> s.tag(tag("bin-1")));
      scale.emit(s -> s.weighing(weighing()));
    }
    Await.until(() -> evidence.entries.size() >= 100, HANG_GUARD, "evidence.entries.size() >= 100");
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.stop().toCompletionStage().toCompletableFuture().join());
    // then
    assertThat(blockedEventLoops()).isZero();
    assertThat(runtime.metrics().scrape()).contains("haulproof_event_loop_blocked_total 0.0");
    assertThat(evidence.blockingThreads).isNotEmpty().noneMatch(t -> t.contains("eventloop"));
  }

  @Test
  void blockedThreadCheck_sleepOnEventLoop_isDetected() {
    // given: proves the check above can fail
    startRuntime(0);
    // when
    runtime.vertx().runOnContext(x -> blockTheEventLoop());
    // then: counted once, on /metrics
    Await.until(() -> blockedEventLoops() > 0, HANG_GUARD, "blockedEventLoops() > 0");
    assertThat(blockedEventLoops()).isEqualTo(1);
    assertThat(runtime.metrics().scrape()).contains("haulproof_event_loop_blocked_total 1.0");
  }

  @Test
  void start_sensorCannotOpen_startsNotReadyNamingReasonThenRetriesUntilItOpens() {
    // given
    scale.failOpen = true;
    // when
    startRuntime(0);
    // then: started and READY=1 sent, but readiness names the sensor and why
    assertThat(notifier.ready.get()).isEqualTo(1);
    assertThat(runtime.health().report().ready()).isFalse();
    assertThat(runtime.health().report().live()).isTrue();
    assertThat(runtime.health().report().checks().get("sensor-scale").reason())
        .contains("cannot open")
        .contains("/dev/ttyUSB9");
    assertThat(runtime.metrics().count("haulproof.sensor.failures", "sensor", "scale"))
        .isGreaterThanOrEqualTo(1);
    // then: it retries with backoff, counting each failed attempt
    Await.until(
        () -> runtime.metrics().count("haulproof.sensor.failures", "sensor", "scale") >= 2,
        HANG_GUARD,
        "runtime.metrics().count(\"haulproof.sensor.failures\", \"sensor\", \"scale\") >= 2");
    // when the sensor appears
    scale.failOpen = false;
    // then
    Await.until(
        () -> runtime.health().report().ready(), HANG_GUARD, "runtime.health().report().ready()");
    rfid.emit(s -> s.tag(tag("bin-1")));
    scale.emit(s -> s.weighing(weighing()));
    Await.until(() -> evidence.entries.size() == 1, HANG_GUARD, "evidence.entries.size() == 1");
    assertThat(evidence.entries.get(0).outcome()).isEqualTo(Outcome.EMPTIED);
  }

  @Test
  void append_fails_livenessFailsAndWatchdogStops() {
    // given
    startRuntime(20);
    Await.until(() -> notifier.watchdog.get() > 0, HANG_GUARD, "notifier.watchdog.get() > 0");
    evidence.failAppends = true;
    // when
    runtime.vertx().eventBus().send(Addresses.CREW, new CrewInput(ExceptionCode.DAMAGED, null));
    // then
    Await.until(
        () -> !runtime.health().report().live(), HANG_GUARD, "!runtime.health().report().live()");
    assertThat(runtime.health().report().reason()).contains("disk full");
    int before = notifier.watchdog.get();
    // ten watchdog ticks that found the agent not live and withheld the keep-alive
    Await.until(
        () -> runtime.metrics().count("haulproof.watchdog.withheld", null, null) >= 10,
        HANG_GUARD,
        "runtime.metrics().count(\"haulproof.watchdog.withheld\", null, null) >= 10");
    assertThat(notifier.watchdog.get()).isLessThanOrEqualTo(before + 1);
  }

  private static void blockTheEventLoop() {
    try {
      Thread.sleep(600); // the fault under test: three times the 200 ms limit, checked every 100 ms
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts notifications. */
  static final class CountingNotifier implements Notifier {
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger watchdog = new AtomicInteger();
    final AtomicInteger stopping = new AtomicInteger();

    @Override
    public void ready() {
      ready.incrementAndGet();
    }

    @Override
    public void watchdog() {
      watchdog.incrementAndGet();
    }

    @Override
    public void stopping() {
      stopping.incrementAndGet();
    }

    @Override
    public void status(String text) {}
  }
}
