package io.haulproof.ledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LedgerApi;
import io.haulproof.ledger.TestLedgers;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/verify}'s body cap ({@link LedgerApi#MAX_BODY}, 256 KiB) for bodies of unknown
 * length ({@code Transfer-Encoding: chunked}) and declared ones, over a real SQLite ledger.
 */
class VerifyBodyLimitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLEET = "city";
  private static final Instant START = Instant.parse("2026-05-01T01:00:00Z");

  @TempDir Path tmp;
  private Ledger ledger;
  private LedgerHttp http;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    TruckLog truck = new TruckLog(pki, FLEET, "truck-1", 7, START.toEpochMilli());
    registry.add(truck.certificate());
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
    truck.lifts(8);
    Topics t = new Topics(FLEET, "truck-1");
    for (int i = 0; i < 8; i++) {
      ledger.acceptEntry(t, Integer.toString(i), truck.entry(i));
    }
    ledger.acceptCheckpoint(t, new CheckpointMessage(truck.note(8), 0, List.of()).encode());
    http = new LedgerHttp(ledger, new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
    ledger.close();
  }

  /** A valid verify request for entry 5, padded with JSON whitespace to {@code size} bytes. */
  private byte[] verifyRequest(int size) throws Exception {
    HttpResponse<String> e =
        client.send(
            HttpRequest.newBuilder(uri("/v1/devices/city/truck-1/entries/5")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(e.statusCode()).isEqualTo(200);
    JsonNode entry = JSON.readTree(e.body());
    ObjectNode req = JSON.createObjectNode().put("fleet", FLEET).put("device", "truck-1");
    req.put("index", 5)
        .put("tree_size", entry.get("tree_size").asLong())
        .put("cose", entry.get("cose").asText())
        .set("path", entry.get("path"));
    byte[] json = JSON.writeValueAsBytes(req);
    byte[] out = Arrays.copyOf(json, Math.max(size, json.length));
    Arrays.fill(out, json.length, out.length, (byte) ' ');
    return out;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.port() + path);
  }

  /** POSTs {@code body} as a stream of unknown length: the JDK client sends it chunked. */
  private HttpResponse<String> postChunked(byte[] body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri("/v1/verify"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void chunkedBody_underTheLimit_verified() throws Exception {
    // given a valid request padded to 200 KiB, sent without a Content-Length
    byte[] body = verifyRequest(200 * 1024);
    // when
    HttpResponse<String> r = postChunked(body);
    // then it was read whole and checked
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode v = JSON.readTree(r.body());
    assertThat(v.get("valid").asBoolean()).isTrue();
    assertThat(v.get("witnessed").asBoolean()).isTrue();
  }

  @Test
  void chunkedBody_exactlyAtAndJustOverTheLimit_verifiedThen413() throws Exception {
    HttpResponse<String> at = postChunked(verifyRequest(LedgerApi.MAX_BODY));
    assertThat(at.statusCode()).as(at.body()).isEqualTo(200);
    assertThat(JSON.readTree(at.body()).get("valid").asBoolean()).isTrue();
    HttpResponse<String> over = postChunked(verifyRequest(LedgerApi.MAX_BODY + 1));
    assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
    assertThat(JSON.readTree(over.body()).get("error").asText())
        .isEqualTo("request body over " + LedgerApi.MAX_BODY + " bytes");
  }

  @Test
  void chunkedBody_endless_413WhileStillSendingAndConnectionClosed() throws Exception {
    long before = ledger.counters().getOrDefault("http.rejected", 0L);
    try (Socket s = new Socket("127.0.0.1", http.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      // a body that never ends: 16 KiB chunks of whitespace until the server stops taking them
      AtomicLong sent = new AtomicLong();
      CompletableFuture<IOException> writer =
          CompletableFuture.supplyAsync(
              () -> {
                byte[] chunk = new byte[16 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes();
                try {
                  while (sent.get() < 1L << 30) {
                    out.write(head);
                    out.write(chunk);
                    out.write("\r\n".getBytes());
                    sent.addAndGet(chunk.length);
                  }
                  return null;
                } catch (IOException e) {
                  return e; // the server closed the connection: what we expect
                }
              });
      // when the answer is read while the body is still being sent
      InputStream in = s.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer); // to the server's close
      String all = answer.toString(StandardCharsets.UTF_8);
      // then: 413 with a clear reason, and the connection closed by the server
      assertThat(all).startsWith("HTTP/1.1 413");
      assertThat(all.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
      String body = all.substring(all.indexOf("\r\n\r\n") + 4);
      assertThat(JSON.readTree(body).get("error").asText())
          .isEqualTo("request body over " + LedgerApi.MAX_BODY + " bytes");
      // and the writer was stopped by the closed connection, after a bounded amount (the cap, and
      // what the socket buffers of both sides hold), not after the 1 GiB it would send
      IOException stopped = writer.get(30, TimeUnit.SECONDS);
      assertThat(stopped).as("the server kept reading").isNotNull();
      assertThat(sent.get()).isGreaterThan(LedgerApi.MAX_BODY).isLessThan(64L << 20);
    }
    assertThat(ledger.counters().getOrDefault("http.rejected", 0L)).isEqualTo(before + 1);
    // and the server still serves
    assertThat(postChunked(verifyRequest(1000)).statusCode()).isEqualTo(200);
  }

  @Test
  void contentLength_overTheLimit_413BeforeAnyBodyByte() throws Exception {
    try (Socket s = new Socket("127.0.0.1", http.port())) {
      s.setSoTimeout(30_000);
      // declared 10 MB, none of it sent: an answer proves the server did not wait for the body
      s.getOutputStream()
          .write(
              ("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 10000000\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 413");
      assertThat(all.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
      assertThat(JSON.readTree(all.substring(all.indexOf("\r\n\r\n") + 4)).get("error").asText())
          .isEqualTo("request body over " + LedgerApi.MAX_BODY + " bytes");
    }
  }
}
