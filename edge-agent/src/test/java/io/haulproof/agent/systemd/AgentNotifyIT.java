package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import io.haulproof.uplink.testing.EventLoopGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent ({@code haulproof run} from the fat jar, with the unit's JVM options) started the
 * way systemd starts it: NOTIFY_SOCKET pointing at the test's own datagram socket and WATCHDOG_USEC
 * set, with the test event-loop limit ({@link EventLoopGuard}).
 */
class AgentNotifyIT {
  private static final Path JAR = Tool.REPO.resolve("edge-agent/target/haulproof.jar");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(30));

  @AfterEach
  void stop() throws Exception {
    children.close();
  }

  @Test
  void run_underNotifySocket_readyThenKeepAlivesThenStopping() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          // given: a truck with a scale and an RFID reader on ptys
          Path config = truck(ptyPair("scale"), ptyPair("rfid"));
          try (NotifySocket socket = new NotifySocket(dir.resolve("notify"))) {
            // when
            Process agent = startAgent(config, socket.path());

            // then: "starting" first, READY=1 once every part is up, then keep-alives again and
            // again
            socket.await("STATUS=starting", WAIT);
            socket.await("READY=1", WAIT);
            awaitReadyLine();
            for (int i = 0; i < 3; i++) {
              socket.await("WATCHDOG=1", WAIT);
            }
            assertThat(agent.isAlive()).isTrue();

            // when systemd stops it (SIGTERM): STOPPING=1, and the agent exits in order
            agent.destroy();
            socket.await("STOPPING=1", WAIT);
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("agent.err")))
                .contains("haulproof run: stopping");
            EventLoopGuard.assertNotBlocked(
                "haulproof run", Files.readString(dir.resolve("agent.err")));
          }
        });
  }

  @Test
  void run_dataDirUnusable_exitsWithoutEverSendingReady() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          // given: the data directory is a plain file, so the evidence log cannot open
          Files.writeString(dir.resolve("data"), "not a directory");
          Path config = truck(ptyPair("scale"), ptyPair("rfid"));
          try (NotifySocket socket = new NotifySocket(dir.resolve("notify"))) {
            // when
            Process agent = startAgent(config, socket.path());

            // then: it fails, and systemd was never told it was ready (so Type=notify reports the
            // start as failed)
            assertThat(agent.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue())
                .as(Files.readString(dir.resolve("agent.err")))
                .isNotZero();
            List<String> got = new ArrayList<>();
            for (Optional<String> m = socket.receive(Duration.ZERO);
                m.isPresent();
                m = socket.receive(Duration.ZERO)) {
              got.add(m.get());
            }
            assertThat(got).doesNotContain("READY=1", "WATCHDOG=1");
          }
        });
  }

  private void awaitReadyLine() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.readString(dir.resolve("agent.out")).contains("\"state\":\"ready\"")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no ready line; stderr: " + Files.readString(dir.resolve("agent.err")));
      }
      Thread.sleep(20);
    }
  }

  private Process startAgent(Path config, Path notifySocket) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(unitJavaOptions());
    cmd.add(EventLoopGuard.jvmArg());
    cmd.addAll(List.of("-jar", JAR.toString(), "run", "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("NOTIFY_SOCKET", notifySocket.toString());
    pb.environment().put("WATCHDOG_USEC", "2000000");
    pb.environment().remove("WATCHDOG_PID");
    pb.redirectOutput(dir.resolve("agent.out").toFile())
        .redirectError(dir.resolve("agent.err").toFile());
    Process p = pb.start();
    children.add(p);
    return p;
  }

  /**
   * HAULPROOF_JAVA_OPTS exactly as the unit sets them, so the agent is tested with the service's
   * heap and GC.
   */
  private static List<String> unitJavaOptions() throws Exception {
    for (String env : UnitFile.read(SystemdUnitIT.UNIT).all("Environment")) {
      String e = env.startsWith("\"") ? env.substring(1, env.length() - 1) : env;
      if (e.startsWith("HAULPROOF_JAVA_OPTS=")) {
        return Arrays.asList(e.substring("HAULPROOF_JAVA_OPTS=".length()).split("\\s+"));
      }
    }
    throw new AssertionError("unit sets no HAULPROOF_JAVA_OPTS");
  }

  private Path truck(Path scale, Path rfid) throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config, AgentYaml.scaleAndRfid("truck-notify-1", dir.resolve("data"), scale, rfid));
    return config;
  }

  private Path ptyPair(String name) throws Exception {
    return children.add(SocatPtyPair.named(dir, name)).a();
  }
}
