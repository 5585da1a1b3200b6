package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.config.PortConfig;
import io.haulproof.agent.config.RfidConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.AssemblerSettings;
import io.haulproof.agent.lift.BinRegistry;
import io.haulproof.agent.lift.LifterSide;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.SocatPtyPair;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with an RFID reader configured on a serial port that does not exist (the deploy
 * engineer's {@code /tmp/x/ttyUSB9}): it starts and says READY, {@code /health} is not ready and
 * names the sensor and port, failures are counted, keep-alives go on (no restart loop), nothing
 * dies; then a {@code socat} pty appears at that path and the sensor connects and health recovers.
 */
@ExtendWith(EventLoopGuard.class)
class SerialSensorHealthIT {
  private static final Duration HANG_GUARD = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final AgentRuntimeTest.CountingNotifier notifier =
      new AgentRuntimeTest.CountingNotifier();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previous;
  private AgentRuntime runtime;
  private SocatPtyPair socat;

  @BeforeEach
  void catchUncaught() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (runtime != null) {
      runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (socat != null) {
      socat.close();
    }
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }

  private AgentRuntime newRuntime(Path port) {
    AssemblerSettings settings = RuntimeFixtures.truckOneSettings();
    BinRegistry bins = RuntimeFixtures.oneResidualBin();
    RfidConfig rfid =
        new RfidConfig(
            "fdxb-uart", new PortConfig(port.toString(), 9600), "rear", LifterSide.REAR_COMB, 500L);
    MemoryEvidence evidence = new MemoryEvidence();
    RuntimeParts parts =
        new RuntimeParts(
            "truck-1",
            AgentClock.system(),
            settings,
            bins,
            evidence,
            null,
            new RecordingUplink(evidence.calls),
            List.of(
                new RfidSource(
                    "rfid-rear", rfid, new SerialTransport(rfid.port()), AgentClock.system())),
            new ChainConfig(100, 200L, 60_000L),
            new HttpConfig("127.0.0.1", 0),
            notifier,
            20,
            List.of());
    return new AgentRuntime(parts, new VertxOptions());
  }

  private HttpResponse<String> health() {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + runtime.httpPort() + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET /health", e);
    }
  }

  private double failures() {
    return runtime.metrics().count("haulproof.sensor.failures", "sensor", "rfid-rear");
  }

  @Test
  void missingSerialPort_notReadyWithReasonAndCounted_thenPortAppears_recovers() throws Exception {
    // given an RFID reader configured at a path with nothing there
    Path port = dir.resolve("x").resolve("ttyUSB9");
    runtime = newRuntime(port);
    // when
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.start().toCompletionStage().toCompletableFuture().join());
    Await.until(() -> failures() >= 2, HANG_GUARD, "failures() >= 2");
    // then: started (READY) but not ready, naming sensor and port; live, so keep-alives go on
    assertThat(notifier.ready.get()).isEqualTo(1);
    HttpResponse<String> down = health();
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .contains("\"live\":true")
        .contains("\"ready\":false")
        .contains("sensor-rfid-rear: " + port + "@9600 reconnecting: port missing");
    assertThat(runtime.metrics().scrape())
        .contains("haulproof_sensor_up{sensor=\"rfid-rear\"} 0.0");
    int kept = notifier.watchdog.get();
    Await.until(
        () -> notifier.watchdog.get() > kept + 2, HANG_GUARD, "notifier.watchdog.get() > kept + 2");
    assertThat(uncaught).isEmpty();

    // when the technician plugs the reader in (a pty linked at exactly that path)
    Files.createDirectories(port.getParent());
    socat = SocatPtyPair.start(dir.resolve("peer"), port, dir.resolve("socat.log"));
    // then
    Await.until(() -> health().statusCode() == 200, HANG_GUARD, "health().statusCode() == 200");
    assertThat(health().body()).contains("\"ready\":true").contains(port + "@9600 open");
    assertThat(runtime.metrics().scrape())
        .contains("haulproof_sensor_up{sensor=\"rfid-rear\"} 1.0");
    assertThat(runtime.health().report().live()).isTrue();
    assertThat(uncaught).isEmpty();
  }
}
