package io.haulproof.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.health.HealthStatus;
import io.haulproof.agent.runtime.Addresses;
import io.haulproof.agent.runtime.CrewInput;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpVerticleTest {
  private Vertx vertx;
  private HealthRegistry health;
  private HttpVerticle verticle;
  private final List<CrewInput> crew = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private static final String TOKEN = "crew-token-for-the-unit-test";
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    vertx
        .eventBus()
        .registerDefaultCodec(
            CrewInput.class,
            new MessageCodec<CrewInput, CrewInput>() {
              public void encodeToWire(Buffer b, CrewInput c) {
                throw new UnsupportedOperationException();
              }

              public CrewInput decodeFromWire(int pos, Buffer b) {
                throw new UnsupportedOperationException();
              }

              public CrewInput transform(CrewInput c) {
                return c;
              }

              public String name() {
                return "crew-test";
              }

              public byte systemCodecID() {
                return -1;
              }
            });
    vertx.eventBus().<CrewInput>localConsumer(Addresses.CREW, m -> crew.add(m.body()));
    health = new HealthRegistry();
    verticle =
        new HttpVerticle(
            new HttpConfig("127.0.0.1", 0, crewToken().toString(), null, null),
            health,
            new AgentMetrics(),
            new StatusBoard("d-1"));
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verticle.actualPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private java.nio.file.Path crewToken() throws java.io.IOException {
    java.nio.file.Path f = tmp.resolve("crew.token");
    java.nio.file.Files.writeString(f, TOKEN);
    java.nio.file.Files.setPosixFilePermissions(
        f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /** A crew request as the crew's own client sends it: JSON, with the crew's token. */
  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verticle.actualPort() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void health_beforeStartAndWithACriticalFailure_is503WithTheReason() throws Exception {
    // when not started
    HttpResponse<String> starting = get("/health");
    health.markStarted();
    health.register("log", () -> HealthStatus.down("disk full"));
    HttpResponse<String> failing = get("/health");
    // then
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.body()).contains("\"reason\":\"starting\"");
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.body()).contains("log: disk full").contains("\"live\":true");
  }

  @Test
  void health_degradedUplinkOnly_isStillReady() throws Exception {
    // given
    health.markStarted();
    health.register("uplink", () -> HealthStatus.degraded("offline"));
    // when
    HttpResponse<String> r = get("/health");
    // then
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"ready\":true").contains("offline");
  }

  @Test
  void crewException_validCode_isAcceptedAndForwarded() throws Exception {
    // when
    HttpResponse<String> r =
        post("/api/exception", "{\"code\":\"CONTAMINATED\",\"container\":\"900-1\"}");
    // then
    assertThat(r.statusCode()).isEqualTo(202);
    Await.until(() -> !crew.isEmpty(), Duration.ofSeconds(30), "the crew input to be forwarded");
    assertThat(crew.get(0)).isEqualTo(new CrewInput(ExceptionCode.CONTAMINATED, "900-1"));
  }

  @Test
  void crewException_badInput_isRejectedAndNothingForwarded() throws Exception {
    // when
    List<HttpResponse<String>> rs =
        List.of(
            post("/api/exception", "{\"code\":\"EATEN_BY_DOG\"}"),
            post("/api/exception", "not json"),
            post("/api/exception", "{\"code\":\"NOT_OUT\",\"container\":42}"),
            post(
                "/api/exception",
                "{\"code\":\"NOT_OUT\",\"container\":\"" + "x".repeat(65) + "\"}"),
            post("/api/exception", "x".repeat(5000)));
    // a valid one after them: once it is forwarded, any bad one forwarded would be there too
    HttpResponse<String> marker = post("/api/exception", "{\"code\":\"NOT_OUT\"}");
    Await.until(
        () -> !crew.isEmpty(), Duration.ofSeconds(30), "the marker to be forwarded", () -> crew);
    // then
    assertThat(rs).allSatisfy(r -> assertThat(r.statusCode()).isBetween(400, 499));
    assertThat(marker.statusCode()).isEqualTo(202);
    assertThat(crew).containsExactly(new CrewInput(ExceptionCode.NOT_OUT, null));
  }

  @Test
  void metricsAndStatus_areServed() throws Exception {
    HttpResponse<String> m = get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(get("/api/status").body()).contains("\"device\":\"d-1\"");
    assertThat(get("/status/index.html").body()).contains("Haulproof status");
  }

  @Test
  void lifts_noBinLookup_is404EvenWithTheCrewToken() throws Exception {
    // given: an agent whose evidence log has no bin index (no BinLookup)
    // when
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + verticle.actualPort() + "/api/lifts?bin=0123abcd"))
                .header("authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // then: no such route, rather than a 500 from a look-up that cannot answer
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
  }
}
