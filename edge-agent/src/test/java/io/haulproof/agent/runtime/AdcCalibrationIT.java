package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.agent.testing.InProcessCli;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HX711 load-cell scale selected in the agent's YAML, on Pi4J's mock platform (a simulated chip
 * on the mock pins), through the production wiring: the weight read with the configured zero and
 * span, then a signed {@code calibrate} request from {@code haulproof provision mgmt} changes them
 * live, the change is a {@code config} entry in section {@code calibration}, and the next reading
 * of the same raw counts uses the new calibration.
 */
@ExtendWith(EventLoopGuard.class)
@Timeout(300)
class AdcCalibrationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int RAW = 21_000;

  @TempDir Path dir;

  @Test
  void hx711_signedCalibrateRequest_changesZeroAndSpanLiveAndIsLogged() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
      // given an enrolled agent whose scale is an HX711 with zero 1000 counts, span 100 counts/kg
      Path ca = dir.resolve("ca");
      assertThat(
              InProcessCli.run("provision", "init-ca", "--ca-dir", ca.toString(), "--fleet", "acme")
                  .get(0))
          .isEqualTo("0");
      List<String> claim =
          InProcessCli.run(
              "provision",
              "claim",
              "--device",
              "truck-7",
              "--out",
              dir.resolve("claim").toString());
      String code = (String) JSON.readValue(claim.get(claim.size() - 1), Map.class).get("claim");
      Files.writeString(
          dir.resolve("agent.yaml"),
          """
          device: { id: truck-7, fleet: acme, dataDir: "%s" }
          scale:
            protocol: hx711
            adc: { dataPin: 6, clockPin: 5, zero: 1000, span: 100, sampleMs: 20 }
            interval: 0.5
            min: 10
            max: 500
            instrument: { approval: DE-IT-1, serial: SC-IT-1, calibrationDate: "2026-03-01" }
          bins: { enforce: false }
          http: { port: 0 }
          management: { broker: "%s", fleetRoot: "%s", claimFile: "%s" }
          """
                  .formatted(
                      dir.resolve("data"),
                      broker.url(),
                      ca.resolve("root.crt"),
                      dir.resolve("claim"))
              + AgentYaml.keystore(dir.resolve("data")));
      AgentConfig config = new ConfigLoader().load(dir.resolve("agent.yaml"));
      AgentFactory.Built built = AgentFactory.build(config, Notifier.none(), 0, "it");
      AgentRuntime runtime = new AgentRuntime(built.parts(), new VertxOptions(), built.metrics());
      built.bind(runtime);
      try {
        runtime.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        AdcScaleSource scale =
            built.parts().sensors().stream()
                .filter(AdcScaleSource.class::isInstance)
                .map(AdcScaleSource.class::cast)
                .findFirst()
                .orElseThrow();
        Await.until(() -> scale.platform() != null, WAIT, "scale.platform() != null");
        simulate((Context) scale.platform(), "scale");
        int http = runtime.httpPort();
        // then: (21000 - 1000) / 100 = 200 kg
        Await.until(
            () -> liveWeight(http).equals("200.0"), WAIT, "liveWeight(http).equals(\"200.0\")");
        assertThat(
                InProcessCli.run(
                        "provision",
                        "enroll",
                        "--device",
                        "truck-7",
                        "--claim",
                        code,
                        "--broker",
                        broker.url(),
                        "--ca-dir",
                        ca.toString(),
                        "--timeout",
                        "60")
                    .get(0))
            .isEqualTo("0");

        // when: zero 1000, span 200 counts/kg
        List<String> answer =
            InProcessCli.run(
                "provision",
                "mgmt",
                "--device",
                "truck-7",
                "--broker",
                broker.url(),
                "--ca-dir",
                ca.toString(),
                "--op",
                "calibrate",
                "--set",
                "scale=scale",
                "--set",
                "zero=1000",
                "--set",
                "span=200",
                "--timeout",
                "60");

        // then: (21000 - 1000) / 200 = 100 kg from the next conversion on
        assertThat(answer.get(0)).as("%s", answer).isEqualTo("0");
        Await.until(
            () -> liveWeight(http).equals("100.0"), WAIT, "liveWeight(http).equals(\"100.0\")");
        assertThat(scale.calibration().zeroOffset()).isEqualTo(1000);
        assertThat(scale.calibration().countsPerUnit()).isEqualByComparingTo("200");
      } finally {
        runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      List<ConfigBody> configs = new ArrayList<>();
      try (ChainReader reader = ChainReader.open(dir.resolve("data"))) {
        for (long i = 0; i < reader.size(); i++) {
          if (EntryCodec.decode(CoseSign1.decode(reader.read(i))).body() instanceof ConfigBody c) {
            configs.add(c);
          }
        }
      }
      assertThat(configs)
          .anySatisfy(
              c -> {
                assertThat(c.section()).isEqualTo("calibration");
                assertThat(new String(c.content().toByteArray(), StandardCharsets.UTF_8))
                    .contains("calibration.scale.span")
                    .contains("200");
              });
    }
  }

  /**
   * A simulated HX711 on the mock pins, always converting {@link #RAW}: on each rising SCK the next
   * bit goes onto DOUT; after the 25th pulse (channel A, gain 128) DOUT goes low (next conversion
   * ready). A pause of more than 20 ms on SCK starts a new conversion, as the chip resynchronises.
   */
  private static void simulate(Context pi4j, String id) throws Exception {
    DigitalOutput sck = pi4j.registry().get(id + "-sck", DigitalOutput.class);
    MockDigitalInput dout = pi4j.registry().get(id + "-dout", MockDigitalInput.class);
    AtomicInteger pulses = new AtomicInteger();
    long[] lastEdge = {System.nanoTime()};
    sck.addListener(
        e -> {
          if (e.state() != DigitalState.HIGH) {
            return;
          }
          long now = System.nanoTime();
          if (now - lastEdge[0] > 20_000_000L) {
            pulses.set(0);
          }
          lastEdge[0] = now;
          int p = pulses.incrementAndGet();
          if (p <= 24) {
            dout.mockState(((RAW >> (24 - p)) & 1) != 0 ? DigitalState.HIGH : DigitalState.LOW);
          } else {
            dout.mockState(DigitalState.LOW);
            pulses.set(0);
          }
        });
    dout.mockState(DigitalState.LOW);
  }

  private static String liveWeight(int http) {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      JsonNode w = JSON.readTree(body).path("sensors").path("scale").path("weight");
      return w.asText();
    } catch (Exception e) {
      return "";
    }
  }
}
