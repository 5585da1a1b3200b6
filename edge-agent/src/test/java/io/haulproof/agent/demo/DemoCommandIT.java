package io.haulproof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.cli.Main;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof demo} end to end, in-process: twice on one data dir, and once through a real
 * Mosquitto.
 */
@ExtendWith(EventLoopGuard.class)
class DemoCommandIT {
  private static final Duration HANG_GUARD = Duration.ofMinutes(4);

  /** Runs the CLI in this JVM and returns its exit code and stdout lines. */
  private record Run(int exit, List<String> stdout, String stderr) {
    JsonNode summary() throws Exception {
      return new ObjectMapper().readTree(stdout.get(stdout.size() - 1));
    }
  }

  private static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(
          code,
          o.toString(StandardCharsets.UTF_8).lines().toList(),
          e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void demo_twiceOnOneDataDir_appendsAndVerifies(@TempDir Path dir) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          // when
          Run first = run("demo", "--data-dir", dir.toString(), "--lifts", "12", "--seed", "3");
          Run second = run("demo", "--data-dir", dir.toString(), "--lifts", "8", "--seed", "4");
          // then
          assertThat(first.exit()).as(first.stderr()).isZero();
          assertThat(first.stdout()).hasSize(1);
          assertThat(first.stderr()).contains("IN-PROCESS");
          JsonNode a = first.summary();
          assertThat(a.get("lifts").asInt()).isEqualTo(12);
          assertThat(a.get("entries").asLong()).isGreaterThanOrEqualTo(12);
          assertThat(a.get("blocks").asLong()).isPositive();
          assertThat(a.get("witnessed").asLong()).isPositive();
          assertThat(a.get("verified").asBoolean()).isTrue();
          assertThat(a.fieldNames())
              .toIterable()
              .containsExactly(
                  "lifts", "entries", "blocks", "checkpoints", "witnessed", "verified");

          assertThat(second.exit()).as(second.stderr()).isZero();
          JsonNode b = second.summary();
          assertThat(b.get("entries").asLong())
              .isGreaterThanOrEqualTo(a.get("entries").asLong() + 8);
          assertThat(b.get("blocks").asLong()).isGreaterThan(a.get("blocks").asLong());
          assertThat(b.get("witnessed").asLong()).isGreaterThan(a.get("witnessed").asLong());
          assertThat(b.get("verified").asBoolean()).isTrue();

          Run verify = run("chain", "verify", "--data-dir", dir.toString());
          assertThat(verify.exit()).isZero();
          JsonNode v = new ObjectMapper().readTree(verify.stdout().get(verify.stdout().size() - 1));
          assertThat(v.get("valid").asBoolean()).isTrue();
          assertThat(v.get("entries").asLong()).isEqualTo(b.get("entries").asLong());
        });
  }

  @Test
  void demo_withBroker_goesThroughMosquittoToTheLedger(@TempDir Path dir) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("mosquitto"))) {
            // when
            Run r =
                run(
                    "demo",
                    "--data-dir",
                    dir.resolve("data").toString(),
                    "--lifts",
                    "10",
                    "--broker",
                    broker.url());
            // then
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stderr())
                .contains("over MQTT via " + broker.url())
                .doesNotContain("IN-PROCESS");
            JsonNode s = r.summary();
            assertThat(s.get("verified").asBoolean()).isTrue();
            assertThat(s.get("witnessed").asLong()).isPositive();
            assertThat(broker.logText())
                .contains("haulproof-demo-truck-1")
                .contains("haulproof-demo-ledger");
          }
        });
  }

  @Test
  void demo_badArguments_exitWithUsageError(@TempDir Path dir) {
    // when
    Run zero = run("demo", "--data-dir", dir.toString(), "--lifts", "0");
    Run fast = run("demo", "--data-dir", dir.toString(), "--lift-interval-ms", "5");
    // then
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.stderr()).contains("--lifts must be at least 1");
    assertThat(fast.exit()).isEqualTo(2);
    assertThat(fast.stdout()).isEmpty();
  }
}
