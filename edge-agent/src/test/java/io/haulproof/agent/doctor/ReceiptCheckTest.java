package io.haulproof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-receipt check against a real HTTP server shaped like the agent's /api/status. */
class ReceiptCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  @TempDir Path dir;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void receipt_anHourOld_ok() throws Exception {
    // given
    int port =
        serve(
            200,
            "{\"last_receipt\":{\"tree_size\":1234,\"witness\":\"w\",\"at\":\"2026-11-21T11:00:00Z\"}}");

    // when
    List<Finding> found = check(port);

    // then
    assertThat(found.get(0).line())
        .isEqualTo(
            "OK   last receipt: tree size 1234 witnessed at 2026-11-21T11:00:00Z, 1 h 0 min ago");
  }

  @Test
  void receipt_threeDaysOld_warns() throws Exception {
    // given
    int port = serve(200, "{\"last_receipt\":{\"tree_size\":9,\"at\":\"2026-11-18T12:00:00Z\"}}");

    // when / then
    assertThat(check(port).get(0).line()).startsWith("WARN last receipt: ").contains("3 d 0 h ago");
  }

  @Test
  void receipt_noneYet_warns() throws Exception {
    // given
    int port = serve(200, "{\"last_receipt\":null,\"outbox\":{\"connected\":false}}");

    // when / then
    assertThat(check(port).get(0).line())
        .isEqualTo("WARN last receipt: none yet since the agent started (uplink not connected)");
  }

  @Test
  void receipt_garbledTime_fails() throws Exception {
    // given
    int port = serve(200, "{\"last_receipt\":{\"at\":\"yesterday\"}}");

    // when / then
    assertThat(check(port).get(0).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void receipt_agentNotRunning_warns() throws Exception {
    // when / then
    assertThat(check(Gateway.closedPort()).get(0).line())
        .startsWith("WARN last receipt: the agent does not answer");
  }

  private List<Finding> check(int port) throws Exception {
    Gateway gw = new Gateway(dir).depot("tcp://127.0.0.1:1", "", "tcp://127.0.0.1:1", port);
    return new ReceiptCheck(TIMEOUT, Clock.fixed(NOW, ZoneOffset.UTC)).run(gw.load());
  }

  private int serve(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/status",
        ex -> {
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    return server.getAddress().getPort();
  }
}
