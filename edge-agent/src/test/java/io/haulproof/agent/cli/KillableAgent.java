package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import io.haulproof.uplink.testing.EventLoopGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code haulproof run} from the fat jar at {@code -Xmx64m} (C1 only, serial GC) as a writer of a
 * {@link PowerCutRig}, which can {@code kill -9} it at any moment, also before it is ready: its
 * stdout (the ready line first) is followed as it comes, so starting never blocks. It runs with the
 * test event-loop limit; {@link #assertNotBlocked} checks its stderr ({@link EventLoopGuard}).
 */
final class KillableAgent {
  private static final Path JAR = Path.of("target/haulproof.jar");
  private static final Duration STOP = Duration.ofSeconds(60);

  private final WriterJvm jvm;
  private final long started = System.nanoTime();

  private KillableAgent(WriterJvm jvm) {
    this.jvm = jvm;
  }

  /** Starts {@code run --config config} on the rig; the rig's cut kills it. */
  static KillableAgent start(PowerCutRig rig, String name, Path config) throws IOException {
    return new KillableAgent(
        rig.startJava(
            name,
            List.of(
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                // C1 only and the serial collector: starts faster, which is most of each cycle
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                EventLoopGuard.jvmArg(),
                "-jar",
                JAR.toString(),
                "run",
                "--config",
                config.toString())));
  }

  /** Waits for the ready line; returns the HTTP port it names. */
  int awaitReady(Duration timeout) throws Exception {
    String line = jvm.awaitLines(l -> !l.isEmpty(), timeout, "the ready line").get(0);
    var ready = new ObjectMapper().readTree(line);
    if (!"ready".equals(ready.path("state").asText())) {
      throw new AssertionError("unexpected first line " + line + ": " + jvm.describe());
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

  /** SIGTERM by PID; returns the exit code. */
  int stop() throws InterruptedException {
    return jvm.terminate(STOP);
  }

  String stderr() {
    return jvm.stderr();
  }

  /** Fails if this agent blocked an event loop so far (also after it was killed). */
  void assertNotBlocked(String when) {
    EventLoopGuard.assertNotBlocked("haulproof run (" + when + ")", jvm.stderr());
  }
}
