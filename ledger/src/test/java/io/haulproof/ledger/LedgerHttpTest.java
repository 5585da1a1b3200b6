package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.ledger.http.LedgerHttp;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor API over real HTTP on loopback. */
class LedgerHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private Ledger ledger;
  private LedgerHttp http;
  private SignedLog log;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    log = new SignedLog("truck-1", 21);
    registry.add(pki.deviceCertificate("truck-1", log.key().publicKey()));
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
    Topics t = new Topics("fleet-a", "truck-1");
    log.append(13);
    for (int i = 0; i < 13; i++) {
      ledger.acceptEntry(t, Integer.toString(i), log.read(i));
    }
    ledger.acceptCheckpoint(
        t, new CheckpointMessage(log.checkpoint("fleet-a").wire(), 0, List.of()).encode());
    http = new LedgerHttp(ledger, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
    ledger.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode post(String path, JsonNode body) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void checkpoint_witnessedDevice_returnsSignedNote() throws Exception {
    // when
    HttpResponse<String> r = get("/v1/devices/fleet-a/truck-1/checkpoint");
    // then
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(log.latest().orElseThrow().wire());
  }

  @Test
  void entryWithProof_roundTripsThroughVerify_valid() throws Exception {
    // given
    JsonNode e = JSON.readTree(get("/v1/devices/fleet-a/truck-1/entries/5").body());
    ObjectNode req = JSON.createObjectNode().put("fleet", "fleet-a").put("device", "truck-1");
    req.put("index", e.get("index").asLong())
        .put("tree_size", e.get("tree_size").asLong())
        .put("cose", e.get("cose").asText())
        .set("path", e.get("path"));
    // when
    JsonNode v = post("/v1/verify", req);
    // then
    assertThat(e.get("tree_size").asLong()).isEqualTo(13);
    assertThat(e.get("root").asText()).isEqualTo(log.root(13).toHex());
    assertThat(e.get("witnessed").asBoolean()).isTrue();
    assertThat(e.get("cose").asText()).isEqualTo(log.read(5).toHex());
    assertThat(v.get("valid").asBoolean()).isTrue();
    assertThat(v.get("witnessed").asBoolean()).isTrue();
  }

  @Test
  void verify_tamperedEntry_invalidWithReason() throws Exception {
    // given an entry's proof presented with another entry's bytes
    JsonNode e = JSON.readTree(get("/v1/devices/fleet-a/truck-1/entries/5?size=9").body());
    ObjectNode req = JSON.createObjectNode().put("fleet", "fleet-a").put("device", "truck-1");
    req.put("index", 5)
        .put("tree_size", 9)
        .put("cose", log.read(6).toHex())
        .set("path", e.get("path"));
    // when
    JsonNode v = post("/v1/verify", req);
    // then
    assertThat(v.get("valid").asBoolean()).isFalse();
    assertThat(v.get("reason").asText()).isNotEmpty();
    assertThat(e.get("root").asText()).isEqualTo(log.root(9).toHex());
  }

  @Test
  void badRequests_clearStatusCodes() throws Exception {
    assertThat(get("/v1/devices/fleet-a/truck-9/checkpoint").statusCode()).isEqualTo(404);
    assertThat(get("/v1/devices/fleet-a/truck-1/entries/13").statusCode()).isEqualTo(400);
    assertThat(get("/v1/devices/fleet-a/truck-1/entries/2?size=2").statusCode()).isEqualTo(400);
    assertThat(get("/v1/nothing").statusCode()).isEqualTo(404);
    assertThat(
            Hash.fromHex(
                JSON.readTree(get("/v1/devices/fleet-a/truck-1/entries/0").body())
                    .get("root")
                    .asText()))
        .isEqualTo(log.root(13));
  }
}
