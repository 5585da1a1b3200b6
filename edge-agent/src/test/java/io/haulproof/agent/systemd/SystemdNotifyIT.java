package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.lightchain.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a separate JVM the way systemd runs the agent (NOTIFY_SOCKET and WATCHDOG_USEC in its
 * environment) and listens on its own bound AF_UNIX datagram socket, as systemd does.
 */
class SystemdNotifyIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Process child;

  @AfterEach
  void stopChild() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void service_healthThenFailureThenStop_readyKeepAlivesWithheldAndStopping() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given: a bound notify socket, a healthy child with a 1 s watchdog (keep-alive every 500
          // ms)
          Path healthFile = Files.createFile(dir.resolve("healthy"));
          try (NotifySocket socket = new NotifySocket(dir.resolve("notify"))) {
            BlockingQueue<String> stdout = startChild(socket.path(), 1_000_000, healthFile);

            // when / then: READY=1 first, with the keep-alive period at half the watchdog timeout
            assertThat(socket.await("READY=1", WAIT)).isEqualTo("READY=1");
            assertThat(awaitLine(stdout, "period ")).isEqualTo("period 500");

            // then: keep-alives arrive repeatedly
            for (int i = 0; i < 4; i++) {
              socket.await("WATCHDOG=1", WAIT);
            }

            // when the health check fails, after the child has seen it twice, no keep-alive comes
            // over three more checks
            Files.delete(healthFile);
            awaitLine(stdout, "health false");
            awaitLine(stdout, "health false");
            socket.drain();
            for (int i = 0; i < 3; i++) {
              awaitLine(stdout, "health false");
            }
            assertThat(socket.receive(Duration.ZERO)).isEmpty();

            // when healthy again, keep-alives resume
            Files.createFile(healthFile);
            socket.await("WATCHDOG=1", WAIT);

            // when systemd stops the service (SIGTERM), the child says STOPPING=1
            child.destroy();
            socket.await("STOPPING=1", WAIT);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
          }
        });
  }

  @Test
  void service_noNotifySocket_runsWithoutWatchdog() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          // given: started outside systemd
          Path healthFile = Files.createFile(dir.resolve("healthy"));
          BlockingQueue<String> stdout = startChild(null, 0, healthFile);

          // when / then: no watchdog, so no keep-alive period and no health checks
          assertThat(awaitLine(stdout, "period ")).isEqualTo("period 0");
          child.destroy();
          assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(child.exitValue()).isNotEqualTo(-1);
        });
  }

  private BlockingQueue<String> startChild(Path notifySocket, long watchdogUsec, Path healthFile)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-Djna.tmpdir=" + dir,
                "-cp",
                classpath,
                NotifyProbeMain.class.getName(),
                healthFile.toString()));
    pb.environment().remove("NOTIFY_SOCKET");
    pb.environment().remove("WATCHDOG_USEC");
    pb.environment().remove("WATCHDOG_PID");
    if (notifySocket != null) {
      pb.environment().put("NOTIFY_SOCKET", notifySocket.toString());
      pb.environment().put("WATCHDOG_USEC", Long.toString(watchdogUsec));
    }
    pb.redirectError(dir.resolve("child.err").toFile());
    child = pb.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("read error " + e);
              }
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** Takes lines until one starts with {@code prefix}, and returns it. */
  private String awaitLine(BlockingQueue<String> lines, String prefix) {
    List<String> passed = new ArrayList<>();
    AtomicReference<String> found = new AtomicReference<>();
    Await.until(
        () -> {
          for (String line = lines.poll(); line != null; line = lines.poll()) {
            if (line.startsWith(prefix)) {
              found.set(line);
              return true; // later lines stay queued for the next wait
            }
            passed.add(line);
          }
          return false;
        },
        WAIT,
        "a child line starting with \"" + prefix + "\"",
        () -> "lines passed over " + passed + "; child stderr: " + childStderr());
    return found.get();
  }

  private String childStderr() {
    try {
      return Files.readString(dir.resolve("child.err"));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
