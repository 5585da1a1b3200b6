package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.agent.testing.ChainVerifyRun;
import io.haulproof.agent.testing.CoapPost;
import io.haulproof.agent.testing.RunningAgent;
import io.haulproof.agent.testing.SmartBin;
import java.io.RandomAccessFile;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hole 8: a tail cut off the evidence log between two runs of {@code haulproof run} is
 * said where an operator looks: an error line in the agent's log, the {@code chain} check of {@code
 * /health} and the status page's {@code losses}, besides the signed {@code loss} entry.
 */
class TailLossIT {
  @TempDir Path dir;

  @Test
  void run_logTailCutWhileStopped_lossInLogLineHealthAndStatus() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          // given: a depot agent that logged four readings, then stopped
          SmartBin bin = new SmartBin("bin-8", dir.resolve("bin"));
          int port;
          try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
          }
          Path config = dir.resolve("agent.yaml");
          Files.writeString(
              config,
              """
              device: { id: depot-loss, fleet: it-fleet, dataDir: "%s" }
              remote: { coapPort: %d, nodesFile: "%s" }
              http: { port: 0 }
              """
                      .formatted(dir.resolve("data"), port, bin.nodesFile())
                  + AgentYaml.keystore(dir.resolve("data")));
          Path err = dir.resolve("agent.err");
          try (RunningAgent agent = RunningAgent.start(config, err)) {
            for (long c = 1; c <= 4; c++) {
              assertThat(CoapPost.readings(port, bin.reading(c), dir)).isEqualTo("2.04");
            }
            assertThat(agent.stop()).as("exit after SIGTERM").isIn(0, 143);
          }
          assertThat(Files.readString(err)).doesNotContain("EVIDENCE LOST");
          // when: the newest segment loses its end (an acknowledged entry cut in half)
          Path seg;
          try (Stream<Path> s = Files.list(dir.resolve("data/log"))) {
            seg =
                s.filter(p -> p.getFileName().toString().endsWith(".seg"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
          }
          try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 10);
          }
          // then: the next start says so in its log, in /health and on the status page
          try (RunningAgent agent = RunningAgent.start(config, err)) {
            assertThat(agent.stderr()).contains("EVIDENCE LOST").contains("lost in");
            String health = agent.get("/health").body();
            assertThat(health).contains("evidence lost");
            String status = agent.get("/api/status").body();
            assertThat(status).contains("\"losses\":[\"").contains("signed loss entry at index");
            assertThat(agent.stop()).as("exit after SIGTERM").isIn(0, 143);
          }
          // and chain verify accepts the chain: the signed loss entry names the lost entry and seq
          ChainVerifyRun verify = ChainVerifyRun.of(dir.resolve("data"), dir);
          assertThat(verify.exit()).as(verify.stderr()).isZero();
          assertThat(verify.last().get("covered_gaps").asInt()).isEqualTo(2);
          assertThat(verify.stderr()).contains("gap: entries ").contains("gap: seqs ");
        });
  }
}
