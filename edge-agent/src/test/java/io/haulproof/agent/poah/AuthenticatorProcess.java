package io.haulproof.agent.poah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code haulproof authenticator} node as a separate JVM process (the test's class path), with
 * its stdout JSON events collected for waiting on; stopped with SIGTERM or killed with SIGKILL by
 * PID. Events of earlier lives of the same node are kept, so a test can check across a restart.
 */
final class AuthenticatorProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Path dataDir;
  private final String broker;
  private final List<String> extraArgs;
  private final Path log;
  private final List<JsonNode> events = new ArrayList<>();
  private Process process;
  private int life;

  AuthenticatorProcess(String name, Path dataDir, String broker) {
    this(name, dataDir, broker, List.of());
  }

  /** With {@code extraArgs} for the command line, e.g. the TLS flags. */
  AuthenticatorProcess(String name, Path dataDir, String broker, List<String> extraArgs) {
    this.name = name;
    this.dataDir = dataDir;
    this.broker = broker;
    this.extraArgs = List.copyOf(extraArgs);
    this.log = dataDir.resolveSibling(name + ".stderr.log");
  }

  /** Starts the process and waits until it says it is ready (connected and subscribed). */
  AuthenticatorProcess start() throws Exception {
    life++;
    int myLife = life;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add("io.haulproof.agent.cli.Main");
    cmd.addAll(List.of("authenticator", "--broker", broker, "--data-dir", dataDir.toString()));
    cmd.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    Process p = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  try {
                    JsonNode n = JSON.readTree(line);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("life", myLife);
                    synchronized (events) {
                      events.add(n);
                      events.notifyAll();
                    }
                  } catch (IOException | ClassCastException e) {
                    // not a JSON event line
                  }
                }
              } catch (IOException e) {
                // process gone
              }
            },
            "stdout-" + name);
    reader.setDaemon(true);
    reader.start();
    await(
        "ready",
        e -> e.path("event").asText().equals("ready") && e.path("life").asInt() == myLife,
        Duration.ofSeconds(60));
    return this;
  }

  /**
   * Waits for an event matching {@code p}; returns it. Not {@code Await}: the reader thread wakes
   * this wait on every event, so there is no polling, and the failure already names what was
   * awaited and every event seen.
   */
  JsonNode await(String what, Predicate<JsonNode> p, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (JsonNode e : events) {
          if (p.test(e)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name + ": no '" + what + "' event within " + timeout + "; events: " + events);
        }
        events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  String name() {
    return name;
  }

  Path dataDir() {
    return dataDir;
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM, and waits for the exit. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** SIGKILL: no shutdown hook, no flush. */
  void kill9() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
