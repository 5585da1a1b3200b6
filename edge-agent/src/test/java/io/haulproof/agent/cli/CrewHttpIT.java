package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.agent.testing.RunningAgent;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hole 5: a web page must not make the truck sign a lift outcome. Real HTTP/1.1 requests
 * (written byte for byte on a socket, as a browser or an attacker's script would send them) against
 * {@code haulproof run}: a cross-origin {@code text/plain} post, a foreign {@code Host} (DNS
 * rebinding), no or wrong credentials and a non-JSON body are refused and nothing is signed; the
 * crew's own request is accepted and signed. A non-loopback bind without TLS and credentials does
 * not start.
 */
class CrewHttpIT {
  private static final String TOKEN = "crew-token-0123456789abcdef";
  private static final String BODY = "{\"code\":\"NOT_OUT\",\"container\":\"bin-1\"}";
  private static final String NOT_OUT = "haulproof_lifts_total{outcome=\"NOT_OUT\"}";

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));

  @AfterEach
  void tearDown() throws Exception {
    children.close();
  }

  @Test
  void run_forgedCrewRequests_refusedAndNothingSigned_crewRequestSigned() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given
          Path token = dir.resolve("crew.token");
          Files.writeString(token, TOKEN + "\n");
          Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
          Path config = dir.resolve("agent.yaml");
          Files.writeString(
              config,
              AgentYaml.scaleAndRfid("truck-crew", dir.resolve("data"), pty("scale"), pty("rfid"))
                  .replace(
                      "http: { port: 0 }", "http: { port: 0, crewTokenFile: \"" + token + "\" }"));
          try (RunningAgent agent = RunningAgent.start(config, dir.resolve("agent.err"))) {
            int port = agent.httpPort();
            String host = "127.0.0.1:" + port;
            // when
            List<Integer> refused = new ArrayList<>();
            refused.add( // a page elsewhere posting a "simple" request (no preflight)
                post(port, host, "http://evil.example", "text/plain", null, BODY));
            refused.add( // a DNS-rebinding page: our address, its name
                post(port, "evil.example:" + port, null, "application/json", TOKEN, BODY));
            refused.add(post(port, host, null, "application/json", null, BODY));
            refused.add(post(port, host, null, "application/json", "not-the-token-xx", BODY));
            refused.add(post(port, host, null, "text/plain", TOKEN, BODY));
            refused.add( // the right token, but from another origin
                post(port, host, "http://evil.example", "application/json", TOKEN, BODY));
            int crew = post(port, host, "http://" + host, "application/json", TOKEN, BODY);
            // then
            assertThat(refused).containsExactly(403, 403, 401, 401, 415, 403);
            assertThat(crew).isEqualTo(202);
            agent.await(
                "the crew's NOT_OUT is signed",
                () -> metric(agent, NOT_OUT) >= 1,
                Duration.ofMinutes(1));
            assertThat(metric(agent, NOT_OUT)).as("signed lift outcomes").isEqualTo(1);
            assertThat(metric(agent, "haulproof_rejects_total{driver=\"http\"}")).isEqualTo(6);
            assertThat(agent.stderr()).doesNotContain(TOKEN);
          }
        });
  }

  @Test
  void run_nonLoopbackBindWithoutTlsAndCredentials_refusesToStartNamingTheKey() throws Exception {
    // given
    Path config = dir.resolve("open.yaml");
    Files.writeString(config, "device: { id: t1, fleet: f1 }\nhttp: { bind: 0.0.0.0, port: 0 }\n");
    // when
    Process p =
        children.add(
            new ProcessBuilder(
                    "java", "-jar", "target/haulproof.jar", "run", "--config", config.toString())
                .redirectError(dir.resolve("open.err").toFile())
                .redirectOutput(dir.resolve("open.out").toFile())
                .start());
    // then
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("open.err"))).contains("http.tls: is required");
  }

  private Path pty(String name) throws Exception {
    return children.add(SocatPtyPair.named(dir, name)).a();
  }

  private static double metric(RunningAgent agent, String sample) {
    try {
      return agent.metric(sample);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One HTTP/1.1 POST of /api/exception with exactly these headers; returns the status code. */
  private static int post(
      int port, String host, String origin, String type, String token, String body)
      throws Exception {
    StringBuilder r = new StringBuilder();
    r.append("POST /api/exception HTTP/1.1\r\n");
    r.append("Host: ").append(host).append("\r\n");
    if (origin != null) {
      r.append("Origin: ").append(origin).append("\r\n");
    }
    r.append("Content-Type: ").append(type).append("\r\n");
    if (token != null) {
      r.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    r.append("Content-Length: ").append(b.length).append("\r\n");
    r.append("Connection: close\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(r.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      in.transferTo(got);
      String status = got.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
      assertThat(status).startsWith("HTTP/1.1 ");
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
