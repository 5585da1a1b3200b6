package io.haulproof.ledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.HttpAnswer;
import io.haulproof.lightchain.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the ledger's HTTP server writes streamed answers: backpressure, and breaks never hidden. */
class ResponsesTest {
  private static final int MIB = 1024 * 1024;

  private Vertx vertx;
  private HttpServer server;
  private volatile HttpAnswer answer;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  Context context = Vertx.currentContext();
                  HttpServerResponse res = req.response();
                  vertx.executeBlocking(
                      () -> {
                        try {
                          Responses.send(context, res, answer);
                        } catch (IOException e) {
                          Responses.abort(context, res);
                        }
                        return null;
                      },
                      false);
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void streamed_clientReadsNothing_producerWaitsWithFewBytesInFlight() throws Exception {
    // given a 64 MiB answer whose producer counts what it has written
    long total = 64L * MIB;
    AtomicLong produced = new AtomicLong();
    AtomicReference<Thread> producer = new AtomicReference<>();
    answer =
        new HttpAnswer.Streamed(
            200,
            "text/csv",
            Map.of(),
            out -> {
              producer.set(Thread.currentThread());
              byte[] row = "x".repeat(8191).concat("\n").getBytes(StandardCharsets.US_ASCII);
              for (long n = 0; n < total; n += row.length) {
                out.write(row);
                produced.addAndGet(row.length);
              }
            });
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(32 * 1024);
      s.connect(new java.net.InetSocketAddress("127.0.0.1", server.actualPort()));
      s.getOutputStream()
          .write(
              "GET /export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      // when the client reads nothing: the producer comes to wait for the socket
      long[] last = {-1};
      Await.until(
          () -> {
            Thread t = producer.get();
            long now = produced.get();
            boolean still = now == last[0];
            last[0] = now;
            return t != null && t.getState() == Thread.State.TIMED_WAITING && still;
          },
          Duration.ofSeconds(60),
          () -> "producer still writing, " + produced.get() + " bytes");
      // then only socket buffers and two chunks are out, not the answer
      assertThat(produced.get()).isLessThan(16L * MIB);
      // and once the client reads, the whole answer comes, chunked and complete
      long body = chunkedBodyLength(s.getInputStream());
      assertThat(body).isEqualTo(produced.get()).isGreaterThanOrEqualTo(total);
    }
  }

  @Test
  void streamed_producerFailsMidway_transferBrokenNeverEnded() throws Exception {
    // given an export whose database goes away after 200 KiB
    answer =
        new HttpAnswer.Streamed(
            200,
            "text/csv",
            Map.of(),
            out -> {
              out.write(new byte[200 * 1024]);
              throw new IOException("database gone");
            });
    // when
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      s.getOutputStream()
          .write(
              "GET /export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] b = new byte[64 * 1024];
      try {
        for (int n; (n = in.read(b)) >= 0; ) {
          got.write(b, 0, n);
        }
      } catch (IOException e) {
        // a reset connection: what a broken transfer looks like
      }
    }
    // then the answer started but has no last chunk: no client takes it for a whole export
    String text = got.toString(StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("HTTP/1.1 200");
    assertThat(text).contains("transfer-encoding: chunked");
    assertThat(text).doesNotEndWith("\r\n0\r\n\r\n");
  }

  @Test
  void full_answer_statusTypeAndSecurityHeaders() throws Exception {
    answer = HttpAnswer.error(400, "parameter 'from' is required");
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      s.getOutputStream()
          .write(
              "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 400");
      assertThat(all.toLowerCase(java.util.Locale.ROOT))
          .contains("content-type: application/json")
          .contains("content-security-policy: default-src 'none'")
          .contains("x-content-type-options: nosniff");
      assertThat(all).endsWith("{\"error\":\"parameter 'from' is required\"}");
    }
  }

  /** Reads one chunked HTTP/1.1 answer (after its head) and returns its body length. */
  private static long chunkedBodyLength(InputStream raw) throws IOException {
    java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(raw, 64 * 1024));
    String line;
    while (!(line = line(in)).isEmpty()) {
      // the head
    }
    long body = 0;
    while (true) {
      int size = Integer.parseInt(line(in).trim(), 16);
      if (size == 0) {
        line(in);
        return body;
      }
      in.skipNBytes(size);
      body += size;
      line(in);
    }
  }

  private static String line(java.io.DataInputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("answer ended early");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
