package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import io.haulproof.uplink.testing.EventLoopGuard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof run} as a real process from the fat jar: ready line, health, orderly stop on
 * SIGTERM.
 */
class RunCommandIT {
  private static final Path JAR = Path.of("target/haulproof.jar");

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));

  @AfterEach
  void tearDown() throws Exception {
    children.close();
  }

  @Test
  void run_validConfig_printsReadyServesHealthAndStopsInOrderOnSigterm() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given
          Path scale = ptyPair("scale");
          Path rfid = ptyPair("rfid");
          Files.writeString(
              dir.resolve("agent.yaml"),
              AgentYaml.scaleAndRfid("truck-run-1", dir.resolve("data"), scale, rfid));
          // when
          Process agent =
              new ProcessBuilder(
                      "java",
                      "-Xmx64m",
                      EventLoopGuard.jvmArg(),
                      "-jar",
                      JAR.toString(),
                      "run",
                      "--config",
                      dir.resolve("agent.yaml").toString())
                  .redirectError(dir.resolve("agent.err").toFile())
                  .start();
          children.add(agent);
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
          String line = out.readLine();
          // then
          assertThat(line).as(Files.readString(dir.resolve("agent.err"))).isNotNull();
          JsonNode ready = new ObjectMapper().readTree(line);
          assertThat(ready.get("state").asText()).isEqualTo("ready");
          assertThat(ready.get("device").asText()).isEqualTo("truck-run-1");
          int port = ready.get("http_port").asInt();
          HttpResponse<String> health =
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(health.body()).contains("\"live\":true");

          new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
          assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(Files.readString(dir.resolve("agent.err")))
              .contains("haulproof run: stopping");
          EventLoopGuard.assertNotBlocked(
              "haulproof run", Files.readString(dir.resolve("agent.err")));
          assertThat(dir.resolve("data").resolve("keys")).isDirectory();
        });
  }

  @Test
  void run_badConfig_exitsTwoNamingTheKey() throws Exception {
    // given
    Files.writeString(
        dir.resolve("bad.yaml"), "device: { id: t1, fleet: f1 }\nscale: { protocol: morse }\n");
    // when
    Process p =
        new ProcessBuilder(
                "java",
                "-jar",
                JAR.toString(),
                "run",
                "--config",
                dir.resolve("bad.yaml").toString())
            .redirectError(dir.resolve("bad.err").toFile())
            .redirectOutput(dir.resolve("bad.out").toFile())
            .start();
    children.add(p);
    // then
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("bad.err"))).contains("scale.protocol: must be one of");
    assertThat(Files.readString(dir.resolve("bad.out"))).isEmpty();
  }

  private Path ptyPair(String name) throws Exception {
    return children.add(SocatPtyPair.named(dir, name)).a();
  }
}
