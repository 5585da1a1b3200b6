package io.haulproof.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.demo.Frames;
import io.haulproof.agent.runtime.AgentFactory;
import io.haulproof.agent.runtime.AgentRuntime;
import io.haulproof.agent.runtime.Notifier;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import io.haulproof.uplink.testing.Await;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.HeadlessChromium;
import io.vertx.core.VertxOptions;
import java.awt.image.BufferedImage;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production agent ({@code run}'s wiring) on serial pseudo-terminals made by socat, fed with
 * real device bytes; its health, metrics and status JSON over HTTP, and the status page rendered by
 * headless Chromium.
 */
@ExtendWith(EventLoopGuard.class)
class StatusPageIT {
  private static final int COUNTRY = 900;
  private static final long BIN = 250000023921L;
  private static final String CREW_TOKEN = "crew-token-for-the-status-page-it";

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(10));
  private AgentRuntime runtime;

  @AfterEach
  void tearDown() throws Exception {
    if (runtime != null) {
      runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    children.close();
  }

  @Test
  void statusPage_runningAgentWithALift_showsRealValuesInChromium() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given: an agent on three ptys
          Path scale = ptyPair("scale");
          Path rfid = ptyPair("rfid");
          Path gps = ptyPair("gps");
          String yaml =
              """
          device: { id: truck-it-7, fleet: it-fleet, vehicle: HH-IT-7, dataDir: "%s" }
          scale:
            protocol: toledo
            port: { path: "%s" }
            interval: 0.5
            min: 10
            max: 500
            instrument: { approval: DE-IT-1, serial: SC-IT-1, calibrationDate: "2026-03-01" }
          rfid:
            - { protocol: fdxb-uart, port: { path: "%s" }, lifter: rear-comb, side: REAR_COMB, debounceMs: 100 }
          gps: { source: nmea, port: { path: "%s" } }
          bins:
            registered: [ { id: "900-250000023921", fraction: organic, volumeLitres: 120 } ]
          lift: { lateTagGraceMs: 500 }
          chain: { blockMaxEntries: 4, blockMaxMs: 200 }
          http: { port: 0, crewTokenFile: "%s" }
          """
                      .formatted(dir.resolve("data"), scale, rfid, gps, crewToken())
                  + io.haulproof.agent.testing.AgentYaml.keystore(dir.resolve("data"));
          Files.writeString(dir.resolve("agent.yaml"), yaml);
          AgentConfig config = new ConfigLoader().load(dir.resolve("agent.yaml"));
          AgentFactory.Built built = AgentFactory.build(config, Notifier.none(), 0, "it");
          runtime = new AgentRuntime(built.parts(), new VertxOptions(), built.metrics());
          built.bind(runtime);
          runtime.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
          int port = runtime.httpPort();

          // when: a fix, a tag and a lift cycle arrive as bytes on the lines
          try (OutputStream g = new FileOutputStream(peer("gps").toFile());
              OutputStream r = new FileOutputStream(peer("rfid").toFile());
              OutputStream s = new FileOutputStream(peer("scale").toFile())) {
            for (int i = 0; i < 3; i++) {
              g.write(
                  Frames.nmeaEpoch(
                      Instant.now().truncatedTo(ChronoUnit.MILLIS), 53.5511, 9.9937, 9, 0.9));
              g.flush();
              Thread.sleep(100);
            }
            r.write(Frames.fdxbUart(COUNTRY, BIN));
            r.flush();
            long[] tenths = {0, 0, 300, 585, 585, 585, 585, 400, 200, 125, 125, 125, 60, 0, 0};
            boolean[] motion = {
              false, false, true, false, false, false, false, true, true, false, false, false, true,
              false, false
            };
            for (int i = 0; i < tenths.length; i++) {
              s.write(Frames.toledo(tenths[i], motion[i]));
              s.flush();
              if (i % 5 == 0) {
                g.write(
                    Frames.nmeaEpoch(
                        Instant.now().truncatedTo(ChronoUnit.MILLIS), 53.5512, 9.9938, 9, 0.9));
                g.flush();
              }
              Thread.sleep(60);
            }
            Await.until(
                () -> !runtime.board().lastLifts().isEmpty(),
                Duration.ofSeconds(60),
                "a lift on the status board");
          }

          // then: HTTP
          HttpClient http = HttpClient.newHttpClient();
          HttpResponse<String> health =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(health.body()).contains("\"ready\":true").contains("\"sensor-scale\"");
          String metrics =
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          assertThat(metrics)
              .contains("haulproof_lifts_total{outcome=\"EMPTIED\"} 1.0")
              .contains("haulproof_readings_total{driver=\"scale\"}")
              .contains("haulproof_outbox_depth")
              .contains("haulproof_tree_size");

          // then: the bin's lifts through the bin index, with the crew's token
          String tag = Iso11784Code.of(COUNTRY, BIN, false, false).rawHex();
          HttpResponse<String> lifts =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/api/lifts?bin=" + tag))
                      .header("Authorization", "Bearer " + CREW_TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(lifts.statusCode()).as(lifts.body()).isEqualTo(200);
          JsonNode found = new ObjectMapper().readTree(lifts.body());
          assertThat(found.get("lifts").asInt()).isEqualTo(1);
          JsonNode item = found.get("items").get(0);
          assertThat(item.get("index").asLong())
              .isEqualTo(((Number) runtime.board().lastLifts().get(0).get("index")).longValue());
          assertThat(item.get("outcome").asText()).isEqualTo("emptied");
          assertThat(item.get("net").decimalValue()).isEqualByComparingTo("46.0");

          // then: the page in a real browser
          String dom =
              new HeadlessChromium(dir).dumpDom("http://127.0.0.1:" + port + "/status/index.html");
          assertThat(dom)
              .contains("truck-it-7")
              .contains("900-250000023921")
              .contains("EMPTIED")
              .contains("46.0 kg")
              .contains("DE-IT-1")
              .contains(">ready<");
          Path png = dir.resolve("status.png");
          new HeadlessChromium(dir)
              .screenshot("http://127.0.0.1:" + port + "/status/index.html", png);
          assertThat(png).exists();
          assertThat(Files.size(png)).isGreaterThan(10_000);
          BufferedImage image = ImageIO.read(png.toFile());
          assertThat(image).isNotNull();
          assertThat(image.getWidth()).isEqualTo(1280);
        });
  }

  private Path crewToken() throws Exception {
    Path f = dir.resolve("crew.token");
    Files.writeString(f, CREW_TOKEN);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private Path peer(String name) {
    return dir.resolve(name + "-peer");
  }

  /**
   * Starts socat with a linked pair of ptys: {@code name} for the agent, {@code name-peer} for the
   * test.
   */
  private Path ptyPair(String name) throws Exception {
    return children.add(SocatPtyPair.named(dir, name)).a();
  }
}
