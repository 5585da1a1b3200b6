package io.haulproof.ledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LedgerMetrics;
import io.haulproof.ledger.TestLedgers;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.http.BearerToken;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's HTTP server itself (Vert.x Web), over a real SQLite ledger: event loops never
 * blocked, refusals as JSON with the right status, other web sites kept out, bodies capped.
 */
class LedgerHttpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLEET = "city";
  private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-01T00:00:00Z");
  private static final String PERIOD = "from=" + FROM + "&to=" + TO;
  private static final String BLOCKED = "http.event_loop_blocked";
  private static final String TOKEN = "auditor-token-0123456789abcdef";

  @TempDir Path tmp;
  private Ledger ledger;
  private LedgerHttp http;
  private String bin;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    TruckLog truck = new TruckLog(pki, FLEET, "truck-1", 7, FROM.plusSeconds(3600).toEpochMilli());
    registry.add(truck.certificate());
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
    for (int i = 0; i < 40; i++) {
      truck.lift(i % 4 == 0 ? 42 : 100 + i);
    }
    Topics t = new Topics(FLEET, "truck-1");
    for (int i = 0; i < 40; i++) {
      ledger.acceptEntry(t, Integer.toString(i), truck.entry(i));
    }
    ledger.acceptCheckpoint(t, new CheckpointMessage(truck.note(40), 0, List.of()).encode());
    bin =
        io.haulproof.ledger.facts.LiftFacts.binId(
                (io.haulproof.lightchain.entry.CollectionBody) truck.decoded(0).body())
            .orElseThrow();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (http != null) {
      http.close();
    }
    ledger.close();
  }

  private void start(Duration maxEventLoopTime) throws Exception {
    start(maxEventLoopTime, Optional.empty());
  }

  private void start(Duration maxEventLoopTime, Optional<BearerToken> token) throws Exception {
    http =
        new LedgerHttp(
            ledger,
            new InetSocketAddress("127.0.0.1", 0),
            new LedgerMetrics(ledger, () -> true),
            maxEventLoopTime,
            List.of("ledger.depot.example"),
            token);
  }

  @Test
  void evidenceAndFleetEndpoints_withAuditToken_401WithoutOrWithWrongTokenOkWithIt()
      throws Exception {
    // given
    Path f = tmp.resolve("token");
    Files.writeString(f, TOKEN + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    start(Duration.ofSeconds(2), Optional.of(BearerToken.read(f, "--audit-token-file")));
    List<String> guarded =
        List.of(
            "/v1/collections?bin=" + bin + "&" + PERIOD,
            "/v1/bundle?bin=" + bin + "&" + PERIOD,
            "/v1/export/payt?" + PERIOD,
            "/v1/devices/city/truck-1/entries/3",
            "/v1/fleet");
    long before = counter("http.rejected");
    for (String path : guarded) {
      // when asked without, with a wrong and with the right token
      Raw none = raw("GET", path, "127.0.0.1", List.of(), "");
      Raw wrong =
          raw("GET", path, "127.0.0.1", List.of("Authorization: Bearer " + TOKEN + "0"), "");
      Raw right = raw("GET", path, "127.0.0.1", List.of("Authorization: Bearer " + TOKEN), "");
      // then
      assertThat(none.status()).as(path).isEqualTo(401);
      assertThat(none.head()).containsIgnoringCase("WWW-Authenticate: Bearer");
      assertThat(none.json().get("error").asText()).contains("credentials required");
      assertThat(wrong.status()).as(path).isEqualTo(401);
      assertThat(wrong.json().get("error").asText()).isEqualTo("wrong credentials");
      assertThat(right.status()).as(path).isEqualTo(200);
    }
    assertThat(counter("http.rejected")).isEqualTo(before + 2L * guarded.size());
    // and the operator's endpoints and the dashboard page itself (its login form) stay open
    for (String open :
        List.of(
            "/health",
            "/metrics",
            "/v1/witness",
            "/dashboard",
            "/dashboard/app.js",
            "/dashboard/style.css")) {
      assertThat(get(open).statusCode()).as(open).isEqualTo(200);
    }
  }

  @Test
  void nonLoopbackBind_withoutAuditToken_refusesToStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new LedgerHttp(
                    ledger,
                    new InetSocketAddress("0.0.0.0", 0),
                    new LedgerMetrics(ledger, () -> true),
                    Duration.ofSeconds(2),
                    List.of(),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--audit-token-file");
  }

  private long counter(String name) {
    return ledger.counters().getOrDefault(name, 0L);
  }

  @Test
  void requests_manyAtOnceOfEveryKind_allAnsweredAndNoEventLoopBlocked() throws Exception {
    // given a server that warns when an event loop runs a task longer than 500 ms
    start(Duration.ofMillis(500));
    List<String> paths =
        List.of(
            "/v1/collections?bin=" + bin + "&" + PERIOD,
            "/v1/bundle?bin=" + bin + "&" + PERIOD,
            "/v1/export/payt?" + PERIOD + "&format=csv",
            "/v1/export/payt?" + PERIOD + "&format=jsonl",
            "/v1/fleet",
            "/v1/devices/city/truck-1/entries/3",
            "/v1/devices/city/truck-1/checkpoint",
            "/metrics",
            "/health",
            "/dashboard");
    // when 40 requests are sent at once
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + http.port() + paths.get(i % paths.size())))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    // then every one is answered 200 (the database refuses work on an event loop: it would be a
    // 500), and no event loop was held up
    for (int i = 0; i < sent.size(); i++) {
      HttpResponse<String> r = sent.get(i).get();
      assertThat(r.statusCode()).as(paths.get(i % paths.size()) + ": " + r.body()).isEqualTo(200);
    }
    assertThat(counter(BLOCKED)).isZero();
  }

  @Test
  void eventLoop_heldLongerThanTheLimit_countedAsBlocked() throws Exception {
    // given a server with a 50 ms event-loop limit
    start(Duration.ofMillis(50));
    // when something holds its event loop for a second
    http.vertx().runOnContext(v -> sleep(1000));
    // then the blocked-thread checker counts it (what the test above relies on)
    Await.until(() -> counter(BLOCKED) >= 1, Duration.ofSeconds(10), "blocked event loop counted");
    assertThat(get("/metrics").body())
        .contains("haulproof_ledger_events_total{event=\"" + BLOCKED + "\"}")
        .doesNotContain("reason=\"" + BLOCKED + "\"");
  }

  @Test
  void wrongMethod_405AsJson_counted() throws Exception {
    start(Duration.ofSeconds(2));
    long before = counter("http.rejected");
    for (String req :
        List.of(
            "POST /v1/collections?" + PERIOD,
            "DELETE /v1/fleet",
            "PUT /dashboard",
            "GET /v1/verify",
            "POST /health")) {
      Raw r = raw(req.split(" ")[0], req.split(" ")[1], "127.0.0.1", List.of(), "");
      assertThat(r.status()).as(req).isEqualTo(405);
      assertThat(r.json().get("error").asText()).as(req).contains("not allowed");
    }
    assertThat(counter("http.rejected")).isEqualTo(before + 5);
  }

  @Test
  void unknownPath_404AsJson() throws Exception {
    start(Duration.ofSeconds(2));
    for (String path : List.of("/v1/nothing", "/", "/dashboard/../etc/passwd", "/dashboard/x.js")) {
      Raw r = raw("GET", path, "127.0.0.1", List.of(), "");
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.json().get("error").asText()).as(path).startsWith("no such resource");
    }
  }

  @Test
  void requestLineOrHeaders_overTheCaps_refusedByTheServer() throws Exception {
    start(Duration.ofSeconds(2));
    Raw longLine = raw("GET", "/v1/fleet?" + "a".repeat(5000), "127.0.0.1", List.of(), "");
    assertThat(longLine.status()).isEqualTo(414);
    Raw bigHeaders =
        raw("GET", "/v1/fleet", "127.0.0.1", List.of("X-Junk: " + "b".repeat(9000)), "");
    assertThat(bigHeaders.status()).isEqualTo(431);
  }

  @Test
  void otherWebSites_foreignHostOriginOrCrossSiteFetch_403() throws Exception {
    start(Duration.ofSeconds(2));
    String port = Integer.toString(http.port());
    long before = counter("http.rejected");
    List<Raw> refused =
        List.of(
            // DNS rebinding: the browser names the attacker's host
            raw("GET", "/v1/export/payt?" + PERIOD, "evil.example:" + port, List.of(), ""),
            // the right host on another port (another local service's page)
            raw("GET", "/v1/fleet", "127.0.0.1:1", List.of(), ""),
            raw(
                "POST",
                "/v1/verify",
                "127.0.0.1:" + port,
                List.of("Origin: http://evil.example", "Content-Type: application/json"),
                "{}"),
            raw(
                "GET",
                "/v1/fleet",
                "127.0.0.1:" + port,
                List.of("Sec-Fetch-Site: cross-site"),
                ""));
    for (Raw r : refused) {
      assertThat(r.status()).as(r.head()).isEqualTo(403);
      assertThat(r.json().get("error").asText()).isNotBlank();
    }
    assertThat(counter("http.rejected")).isEqualTo(before + 4);
    // while the ledger's own names and same-origin requests pass
    for (String host :
        List.of("127.0.0.1:" + port, "localhost:" + port, "ledger.depot.example:" + port)) {
      Raw ok =
          raw(
              "GET",
              "/v1/fleet",
              host,
              List.of("Origin: http://" + host, "Sec-Fetch-Site: same-origin"),
              "");
      assertThat(ok.status()).as(host).isEqualTo(200);
    }
  }

  @Test
  void bodies_onGetOrOverTheVerifyLimit_413() throws Exception {
    start(Duration.ofSeconds(2));
    // (declared, not sent: the server answers from the headers, before any body byte)
    Raw onGet = raw("GET", "/v1/fleet", "127.0.0.1", List.of("Content-Length: 100"), "");
    assertThat(onGet.status()).isEqualTo(413);
    assertThat(onGet.json().get("error").asText()).contains("takes no body");
    Raw big =
        raw(
            "POST",
            "/v1/verify",
            "127.0.0.1",
            List.of("Content-Type: application/json", "Content-Length: 400000"),
            "");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().get("error").asText()).contains("over");
    Raw notJson =
        raw("POST", "/v1/verify", "127.0.0.1", List.of("Content-Type: application/json"), "{x");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("error").asText()).contains("not JSON");
  }

  @Test
  void everyAnswer_securityHeaders() throws Exception {
    start(Duration.ofSeconds(2));
    for (String path :
        List.of("/dashboard", "/v1/fleet", "/v1/export/payt?" + PERIOD, "/v1/nothing")) {
      HttpResponse<String> r = get(path);
      assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
          .as(path)
          .contains("default-src 'none'");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
    }
  }

  @Test
  void paytExport_streamedChunked_sameRowsAsTheQuery() throws Exception {
    start(Duration.ofSeconds(2));
    HttpResponse<String> csv = get("/v1/export/payt?" + PERIOD + "&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
    assertThat(csv.body().lines().count()).isEqualTo(41);
    Raw raw = raw("GET", "/v1/export/payt?" + PERIOD, "127.0.0.1", List.of(), "");
    assertThat(raw.head().toLowerCase(java.util.Locale.ROOT))
        .contains("transfer-encoding: chunked")
        .doesNotContain("content-length");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A raw HTTP/1.1 exchange (java.net.http will not send a foreign Host). */
  private record Raw(int status, String head, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  private Raw raw(String method, String target, String host, List<String> headers, String body)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", http.port())) {
      StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
      req.append("Host: ").append(host).append("\r\nConnection: close\r\n");
      headers.forEach(h -> req.append(h).append("\r\n"));
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      if (b.length > 0) {
        req.append("Content-Length: ").append(b.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      try {
        out.write(b);
      } catch (java.io.IOException e) {
        // the server may refuse before reading the whole body; its answer is still there
      }
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String head = all.substring(0, split);
      return new Raw(Integer.parseInt(head.split(" ")[1]), head, all.substring(split + 4));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms); // the fault under test: a task that holds the event loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
