package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code haulproof run} from the fat jar at {@code -Xmx64m} (C1 only, serial GC) as a child process
 * that a power-cut test can {@code kill -9} at any moment, also before it is ready: the ready line
 * is read on its own thread, so starting never blocks.
 */
final class KillableAgent {
  private static final Path JAR = Path.of("target/haulproof.jar");

  private final Process process;
  private final Path stderr;
  private final CompletableFuture<String> readyLine = new CompletableFuture<>();
  private final long started = System.nanoTime();

  private KillableAgent(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  /** Starts {@code run --config config}, its stderr to {@code stderr}. */
  static KillableAgent start(Path config, Path stderr) throws IOException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                // C1 only and the serial collector: starts faster, which is most of each cycle
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                JAR.toString(),
                "run",
                "--config",
                config.toString())
            .redirectError(stderr.toFile())
            .start();
    KillableAgent a = new KillableAgent(p, stderr);
    Thread reader = new Thread(a::readStdout, "agent-stdout-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    return a;
  }

  private void readStdout() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      if (line == null) {
        readyLine.completeExceptionally(new IOException("agent exited before its ready line"));
        return;
      }
      readyLine.complete(line);
      while (out.readLine() != null) {
        // drain, so the agent never blocks on a full pipe
      }
    } catch (IOException e) {
      readyLine.completeExceptionally(e);
    }
  }

  /** Waits for the ready line; returns the HTTP port it names. */
  int awaitReady(Duration timeout) throws Exception {
    String line;
    try {
      line = readyLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("agent not ready (" + e + "): " + stderr(), e);
    }
    var ready = new ObjectMapper().readTree(line);
    if (!"ready".equals(ready.path("state").asText())) {
      throw new AssertionError("unexpected first line " + line + ": " + stderr());
    }
    return ready.get("http_port").asInt();
  }

  /** Milliseconds since {@link #start}. */
  long millisSinceStart() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** The sum of every sample of the Prometheus series {@code name}. */
  double metric(String base, String name) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** {@code kill -9} by PID; returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("agent " + process.pid() + " survived SIGKILL for 60 s");
    }
  }

  /** SIGTERM by PID; returns the exit code. */
  int stop() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError("agent did not stop within 60 s of SIGTERM: " + stderr());
    }
    return process.exitValue();
  }

  String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(cannot read " + stderr + ": " + e + ")";
    }
  }
}
