package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.agent.testing.InProcessCli;
import io.haulproof.agent.testing.RunningAgent;
import io.haulproof.agent.testing.SmartBin;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hole 2: one oversized MQTT message must not kill the agent at {@code -Xmx64m}, and a
 * retained one must not kill it at every start. A real Mosquitto (no size limit of its own, so only
 * the clients' MQTT 5 Maximum Packet Size protects the agent) receives a retained 20 MB message on
 * {@code mgmt/req} and on a smart-bin readings topic before the agent starts, and 16 MB messages on
 * both while it runs; the agent stays up, keeps logging valid readings and restarts cleanly with
 * the retained messages still on the broker.
 */
class OversizedMqttIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READINGS = "haulproof/v1/it-fleet/nodes/bin-1/readings";
  private static final String MGMT = "haulproof/v1/it-fleet/truck-big/mgmt/req";
  private static final String READING_ENTRIES = "haulproof_entries_total{kind=\"reading\"}";

  @TempDir Path dir;

  @Test
  void run_retained20MbAndLive16MbOnMgmtAndReadings_agentSurvivesAndRestarts() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () -> {
          try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
            // given: retained 20 MB messages waiting on both topics the agent subscribes to
            Path config = agentConfig(broker);
            Path huge = bytes("huge.bin", 20 << 20);
            Path big = bytes("big.bin", 16 << 20);
            assertThat(pub(broker, MGMT, huge, true)).isZero();
            assertThat(pub(broker, READINGS, huge, true)).isZero();
            SmartBin bin = new SmartBin("bin-1", dir.resolve("bin"));
            Files.writeString(config, Files.readString(config) + nodes(broker, bin));
            Path err = dir.resolve("agent.err");

            // when: the agent starts, subscribes (the broker would send the retained ones now)
            try (RunningAgent agent = RunningAgent.start(config, err)) {
              awaitSubscribed(broker, agent, 1);
              // and 16 MB messages arrive on both topics while it runs
              assertThat(pub(broker, MGMT, big, false)).isZero();
              assertThat(pub(broker, READINGS, big, false)).isZero();
              // then: it is alive and still logs a valid reading
              assertThat(pub(broker, READINGS, bin.reading(1), false)).isZero();
              agent.await(
                  "the valid reading is logged",
                  () -> metric(agent, READING_ENTRIES) >= 1,
                  Duration.ofMinutes(1));
              assertThat(agent.get("/health").body()).contains("\"live\":true");
              assertThat(agent.stop()).as("exit after SIGTERM").isIn(0, 143);
            }
            // and a restart with the retained 20 MB messages still there comes up again
            try (RunningAgent again = RunningAgent.start(config, err)) {
              awaitSubscribed(broker, again, 2);
              assertThat(pub(broker, READINGS, bin.reading(2), false)).isZero();
              again.await(
                  "the next valid reading is logged",
                  () -> metric(again, READING_ENTRIES) >= 1,
                  Duration.ofMinutes(1));
              assertThat(again.stop()).as("exit after SIGTERM").isIn(0, 143);
            }
            assertThat(Files.readString(err)).doesNotContain("OutOfMemoryError");
            // the broker, told our maximum, never sent the oversized packets
            assertThat(broker.logText()).contains("Dropping too large outgoing PUBLISH");
          }
        });
  }

  private Path agentConfig(MosquittoProcess broker) throws Exception {
    Path ca = dir.resolve("ca");
    assertThat(
            InProcessCli.run(
                "provision", "init-ca", "--ca-dir", ca.toString(), "--fleet", "it-fleet"))
        .startsWith("0");
    List<String> claim =
        InProcessCli.run(
            "provision",
            "claim",
            "--device",
            "truck-big",
            "--out",
            dir.resolve("claim").toString());
    assertThat(claim).startsWith("0");
    assertThat(JSON.readValue(claim.get(claim.size() - 1), Map.class)).containsKey("claim");
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        device: { id: truck-big, fleet: it-fleet, dataDir: "%s" }
        management: { broker: "%s", fleetRoot: "%s", claimFile: "%s" }
        http: { port: 0 }
        """
                .formatted(
                    dir.resolve("data"), broker.url(), ca.resolve("root.crt"), dir.resolve("claim"))
            + AgentYaml.keystore(dir.resolve("data")));
    return config;
  }

  private static String nodes(MosquittoProcess broker, SmartBin bin) throws Exception {
    return "remote: { mqttBroker: \"%s\", nodesFile: \"%s\" }\n"
        .formatted("tcp://127.0.0.1:" + broker.port(), bin.nodesFile());
  }

  /** Waits until the broker logged the {@code n}-th subscription to each of our two topics. */
  private static void awaitSubscribed(MosquittoProcess broker, RunningAgent agent, int n)
      throws InterruptedException {
    agent.await(
        "subscriptions to mgmt/req and readings (" + n + ")",
        () ->
            count(broker.logText(), MGMT + " (QoS 1)") >= n
                && count(broker.logText(), "nodes/+/readings (QoS 1)") >= n,
        Duration.ofMinutes(1));
  }

  private static int count(String text, String needle) {
    int c = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      c++;
    }
    return c;
  }

  private static double metric(RunningAgent agent, String prefix) {
    try {
      return agent.metric(prefix);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Path bytes(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(13).nextBytes(b);
    Path f = dir.resolve(name);
    Files.write(f, b);
    return f;
  }

  private int pub(MosquittoProcess broker, String topic, Path file, boolean retain)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(broker.port()),
                "-V",
                "mqttv5",
                "-q",
                "1",
                "-t",
                topic,
                "-f",
                file.toString()));
    if (retain) {
      cmd.add("-r");
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pub-" + System.nanoTime() + ".out").toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }
}
