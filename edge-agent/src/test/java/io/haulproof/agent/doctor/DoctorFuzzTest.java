package io.haulproof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random and mutated input for what the doctor reads from the network (the agent's status
 * JSON, gpsd's reports) and from configuration strings: each yields a finding or the documented
 * exception, nothing else.
 */
class DoctorFuzzTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String STATUS =
      "{\"last_receipt\":{\"tree_size\":1234,\"witness\":\"w\",\"at\":\"2026-11-21T11:00:00Z\"},"
          + "\"outbox\":{\"connected\":true}}";
  private static final String TPV =
      "{\"class\":\"TPV\",\"mode\":3,\"time\":\"2026-11-21T11:00:00Z\",\"lat\":48.1173,\"lon\":11.516667}\n";

  @TempDir Path dir;
  private HttpServer http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void receipt_mutatedStatusJson_alwaysOneFinding(long seed) throws Exception {
    // given
    Random random = new Random(seed);
    AtomicReference<byte[]> body = new AtomicReference<>();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/api/status",
        ex -> {
          byte[] b = body.get();
          ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
          if (b.length > 0) {
            ex.getResponseBody().write(b);
          }
          ex.close();
        });
    http.start();
    Gateway gw =
        new Gateway(dir)
            .depot("tcp://127.0.0.1:1", "", "tcp://127.0.0.1:1", http.getAddress().getPort());
    ReceiptCheck check = new ReceiptCheck(TIMEOUT, Clock.systemUTC());
    int failed = 0;

    for (int i = 0; i < 25; i++) {
      body.set(mutate(STATUS.getBytes(StandardCharsets.UTF_8), random));

      // when
      List<Finding> found = check.run(gw.load());

      // then
      assertThat(found).hasSize(1);
      assertThat(found.get(0).subject()).isEqualTo("last receipt");
      failed += found.get(0).verdict() == Verdict.OK ? 0 : 1;
    }
    // and: most mutations are noticed (an OK needs an intact receipt time)
    assertThat(failed).isPositive();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void gnss_mutatedGpsdReports_alwaysOneFinding(long seed) throws Exception {
    // given: a gpsd stand-in that answers WATCH with mutated TPV lines and hangs up
    Random random = new Random(seed);
    for (int i = 0; i < 10; i++) {
      byte[] reply = mutate((TPV + TPV).getBytes(StandardCharsets.UTF_8), random);
      try (ServerSocket gpsd = Gateway.listening()) {
        Thread t =
            new Thread(
                () -> {
                  try (Socket s = gpsd.accept();
                      OutputStream out = s.getOutputStream()) {
                    out.write(reply);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        t.setDaemon(true);
        t.start();
        Gateway gw = new Gateway(dir);
        java.nio.file.Files.writeString(
            gw.config,
            """
            device: { id: t1, fleet: f, dataDir: %s }
            remote: { mqttBroker: "tcp://127.0.0.1:1", nodesFile: /x }
            gps: { source: gpsd, gpsd: "127.0.0.1:%d" }
            """
                .formatted(gw.data, gpsd.getLocalPort()));

        // when
        List<Finding> found = new GnssCheck(Duration.ofSeconds(5)).run(gw.load());

        // then
        assertThat(found).hasSize(1);
        assertThat(found.get(0).subject()).isEqualTo("gnss");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23})
  void endpoint_randomHostPortStrings_parseOrThrowIllegalArgument(long seed) {
    Random random = new Random(seed);
    String alphabet = "ab1:9.-[]/@ 0";
    for (int i = 0; i < 500; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        Endpoint e = Endpoint.ofHostPort(s.toString());
        assertThat(e.port()).isBetween(1, 65_535);
        assertThat(e.host()).isNotEmpty();
      } catch (IllegalArgumentException expected) {
        assertThat(expected).hasMessageNotContaining("null");
      }
    }
    assertThatThrownBy(() -> Endpoint.ofHostPort("host:0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Flips, drops, duplicates or truncates a few bytes. */
  static byte[] mutate(byte[] in, Random random) {
    byte[] b = in.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> {
        int at = random.nextInt(b.length);
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
        b = c;
      }
      default -> {
        int at = random.nextInt(b.length);
        b[at] = (byte) random.nextInt(256);
      }
    }
    return b;
  }
}
