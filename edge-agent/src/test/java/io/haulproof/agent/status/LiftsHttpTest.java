package io.haulproof.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.testing.TestChains;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/lifts} on the agent's HTTP server, over a real lightchain. */
class LiftsHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "crew-token-for-the-lifts-test";
  private static final String BIN = "8000e1a5f3c20d41";

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
  private final List<Long> liftsOfBin = new ArrayList<>();
  private Vertx vertx;
  private Lightchain chain;
  private HttpVerticle verticle;

  @TempDir Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    chain =
        TestChains.open(
            tmp.resolve("data"), SoftwareDeviceKey.generate(CoseAlgorithm.ES256), "t-1");
    for (int i = 0; i < 9; i++) {
      String bin = i % 3 == 0 ? BIN : "0a0b0c";
      long index =
          chain
              .append(SampleEntries.collection(Bytes.fromHex(bin)))
              .get(30, TimeUnit.SECONDS)
              .index();
      if (bin.equals(BIN)) {
        liftsOfBin.add(index);
      }
    }
    vertx = Vertx.vertx();
  }

  private void start(boolean withToken) throws Exception {
    String token = null;
    if (withToken) {
      Path f = tmp.resolve("crew.token");
      Files.writeString(f, TOKEN);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      token = f.toString();
    }
    verticle =
        new HttpVerticle(
            new HttpConfig("127.0.0.1", 0, token, null, null),
            new HealthRegistry(),
            new AgentMetrics(),
            new StatusBoard("t-1"),
            tag -> {
              onEventLoop.add(Context.isOnEventLoopThread());
              return chain.lifts(tag);
            });
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
    chain.close();
  }

  private HttpResponse<String> get(String query, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + verticle.actualPort() + "/api/lifts" + query));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> crewGet(String query) throws Exception {
    return get(query, "Authorization", "Bearer " + TOKEN);
  }

  @Test
  void lifts_crewToken_200WithTheBinsLiftsLookedUpOffTheEventLoop() throws Exception {
    start(true);
    HttpResponse<String> r = crewGet("?bin=" + BIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    assertThat(j.get("bin").asText()).isEqualTo(BIN);
    assertThat(j.get("lifts").asInt()).isEqualTo(3);
    List<Long> indices = new ArrayList<>();
    j.get("items").forEach(i -> indices.add(i.get("index").asLong()));
    assertThat(indices).isEqualTo(liftsOfBin);
    assertThat(j.get("items").get(0).get("net").decimalValue()).isEqualByComparingTo("38.5");
    assertThat(j.get("items").get(0).get("outcome").asText()).isEqualTo("emptied");
    assertThat(onEventLoop).containsExactly(false);
  }

  @Test
  void lifts_unknownBin_200WithZeroLifts() throws Exception {
    start(true);
    HttpResponse<String> r = crewGet("?bin=ffff");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("lifts").asInt()).isZero();
  }

  @Test
  void lifts_malformedTagOrTime_400AndNoLookUp() throws Exception {
    start(true);
    assertThat(crewGet("?bin=xyz").statusCode()).isEqualTo(400);
    assertThat(crewGet("").statusCode()).isEqualTo(400);
    HttpResponse<String> badTime = crewGet("?bin=" + BIN + "&from=monday");
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(badTime.body()).contains("from 'monday' is not an ISO-8601 instant");
    assertThat(onEventLoop).isEmpty();
  }

  @Test
  void lifts_withoutOrWithAWrongToken_401AndNoLookUp() throws Exception {
    start(true);
    HttpResponse<String> none = get("?bin=" + BIN);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(get("?bin=" + BIN, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(onEventLoop).isEmpty();
  }

  @Test
  void lifts_foreignOrigin_403AndNoLookUp() throws Exception {
    start(true);
    HttpResponse<String> r =
        get("?bin=" + BIN, "Authorization", "Bearer " + TOKEN, "Origin", "https://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(onEventLoop).isEmpty();
  }

  @Test
  void lifts_noCrewTokenConfigured_403() throws Exception {
    start(false);
    HttpResponse<String> r = get("?bin=" + BIN, "Authorization", "Bearer " + TOKEN);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("http.crewTokenFile");
    assertThat(onEventLoop).isEmpty();
  }
}
