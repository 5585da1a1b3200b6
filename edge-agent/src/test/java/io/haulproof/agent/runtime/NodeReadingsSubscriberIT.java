package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smart-bin MQTT receiver ({@link NodeReadingsSubscriber#overPaho}, on the connection
 * supervisor) against a real Mosquitto, with messages published by {@code mosquitto_pub -f}.
 */
class NodeReadingsSubscriberIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "haulproof/v1/fleet1/nodes/bin-7/readings";

  @TempDir Path dir;
  private MosquittoProcess broker;
  private NodeReadingsSubscriber receiver;
  private final SoftwareDeviceKey bin7 =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
  private final NodeRegistry registry = new NodeRegistry();
  private final DriverMetrics metrics = new DriverMetrics("mqtt-nodes");
  private final List<VerifiedNodeMessage> forwarded = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker = MosquittoProcess.startPlain(dir.resolve("broker"));
    registry.register("bin-7", bin7.publicKey());
    receiver =
        NodeReadingsSubscriber.overPaho(
            MqttSettings.of(broker.url(), "agent-test"),
            "fleet1",
            new NodeReadingVerifier(registry, Stamp::now, metrics),
            m -> {
              forwarded.add(m);
              return CompletableFuture.completedFuture(null);
            });
    receiver.start();
    Await.until(receiver::subscribed, WAIT, "receiver.subscribed()");
  }

  @AfterEach
  void stop() {
    receiver.close();
    broker.close();
  }

  private Path signed(long counter) throws Exception {
    NodePayload p =
        new NodePayload(
            "bin-7",
            counter,
            OptionalLong.empty(),
            OptionalInt.of(90),
            Optional.of(true),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.empty());
    Path f = dir.resolve("m" + counter + ".cose");
    Files.write(f, CoseSign1.sign(bin7, p.encode()).encoded().toByteArray());
    return f;
  }

  private void pub(String topic, Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(broker.port()),
                "-V",
                "mqttv5",
                "-q",
                "1",
                "-t",
                topic,
                "-f",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pub.log").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("pub.log"))).isZero();
  }

  private void awaitCount(long n) {
    Await.until(
        () -> metrics.acceptedCount() + metrics.rejectedTotal() >= n,
        WAIT,
        n + " messages processed",
        () -> "accepted " + metrics.acceptedCount() + ", rejected " + metrics.rejectedTotal());
  }

  @Test
  void readings_validReplayWrongTopicJunk_onlyValidForwarded() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          // given
          Path m1 = signed(1);
          Path m2 = signed(2);
          Path junk = dir.resolve("junk");
          Files.writeString(junk, "hello");
          // when
          pub(TOPIC, m1);
          pub(TOPIC, m1);
          pub("haulproof/v1/fleet1/nodes/bin-9/readings", m2);
          pub(TOPIC, junk);
          awaitCount(4);
          // then
          assertThat(forwarded).hasSize(1);
          assertThat(forwarded.get(0).nodeId()).isEqualTo("bin-7");
          assertThat(forwarded.get(0).cose().toByteArray()).isEqualTo(Files.readAllBytes(m1));
          assertThat(metrics.rejectedByReason())
              .containsEntry("replay", 1L)
              .containsEntry("node-mismatch", 1L)
              .containsEntry("malformed", 1L);
        });
  }

  @Test
  void readings_largerThanTheAnnouncedPacketSize_droppedByTheBrokerNeverSeen() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          // given: 20 KiB, over the 16 KiB the receiver announces but within what the uplink's
          // clients announce (256 KiB), so only the readings limit keeps it from us
          Path big = dir.resolve("big");
          Files.write(big, new byte[20 * 1024]);
          Path m1 = signed(1);
          // when: the oversized message, then a valid reading behind it
          pub(TOPIC, big);
          pub(TOPIC, m1);
          awaitCount(1);
          // then: the broker dropped the oversized one for us; the verifier never saw it
          assertThat(forwarded).hasSize(1);
          assertThat(metrics.rejectedTotal()).as(metrics.rejectedByReason().toString()).isZero();
          Await.until(
              () -> broker.logText().contains("Dropping too large outgoing PUBLISH"),
              WAIT,
              "the broker's log of the drop",
              broker::logText);
        });
  }
}
