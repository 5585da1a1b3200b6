package io.haulproof.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.EventLoopGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code haulproof run} as a real child process from the fat jar at {@code -Xmx64m}: started, read
 * up to its ready line, asked over HTTP, stopped with SIGTERM (or killed) by PID. It runs with the
 * test event-loop limit, and {@link #stop()} and {@link #close()} fail if an event loop was blocked
 * ({@link EventLoopGuard}).
 */
public final class RunningAgent implements AutoCloseable {
  private static final Path JAR = Path.of("target/haulproof.jar");

  private final Process process;
  private final Path stderr;
  private final JsonNode ready;

  private RunningAgent(Process process, Path stderr, JsonNode ready) {
    this.process = process;
    this.stderr = stderr;
    this.ready = ready;
  }

  /**
   * Starts {@code run --config config} and waits for its ready line; stderr goes to {@code stderr}
   * (appended, so restarts keep the earlier runs' text).
   *
   * @throws IllegalStateException with the agent's stderr if it exits before it is ready
   */
  public static RunningAgent start(Path config, Path stderr) throws IOException {
    Process p =
        new ProcessBuilder(
                List.of(
                    "java",
                    "-Xmx64m",
                    "-XX:+ExitOnOutOfMemoryError",
                    EventLoopGuard.jvmArg(),
                    "-jar",
                    JAR.toString(),
                    "run",
                    "--config",
                    config.toString()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("agent exited before ready: " + Files.readString(stderr));
    }
    return new RunningAgent(p, stderr, new ObjectMapper().readTree(line));
  }

  public int httpPort() {
    return ready.get("http_port").asInt();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the agent wrote on stderr so far. */
  public String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(cannot read " + stderr + ": " + e + ")";
    }
  }

  /** GET {@code path} on the agent's HTTP server. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of the Prometheus sample {@code name{label="value",…}}, written as {@code
   * name{label="value"}} (one label; a sample without labels as the bare name), or 0 if there is
   * none.
   */
  public double metric(String sample) throws IOException, InterruptedException {
    int brace = sample.indexOf('{');
    String name = brace < 0 ? sample : sample.substring(0, brace);
    String label = brace < 0 ? "" : sample.substring(brace + 1, sample.length() - 1);
    for (String l : get("/metrics").body().lines().toList()) {
      if (l.startsWith(brace < 0 ? name + " " : name + "{") && l.contains(label)) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  /** Waits until {@code condition} holds; fails at once if the agent exits meanwhile. */
  public void await(String what, BooleanSupplier condition, Duration timeout) {
    Await.until(
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                "agent exited (" + process.exitValue() + ") waiting for " + what + ": " + stderr());
          }
          return condition.getAsBoolean();
        },
        timeout,
        what,
        this::stderr);
  }

  /** Sends SIGTERM and waits for the exit code. */
  public int stop() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("agent did not stop within 60 s of SIGTERM: " + stderr());
    }
    EventLoopGuard.assertNotBlocked("haulproof run", stderr());
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    EventLoopGuard.assertNotBlocked("haulproof run", stderr());
  }
}
