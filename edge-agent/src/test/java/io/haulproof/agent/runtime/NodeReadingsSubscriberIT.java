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
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** Reading {@code counter} of bin-7, signed with its key, as the node's COSE bytes. */
  private byte[] signed(long counter) {
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
    return CoseSign1.sign(bin7, p.encode()).encoded().toByteArray();
  }

  private void pub(String topic, byte[] payload) {
    MosquittoClients.Result r =
        MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of(topic, payload));
    assertThat(r.ok()).as(r.stderr()).isTrue();
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
          byte[] m1 = signed(1);
          byte[] m2 = signed(2);
          byte[] junk = "hello".getBytes(StandardCharsets.UTF_8);
          // when
          pub(TOPIC, m1);
          pub(TOPIC, m1);
          pub("haulproof/v1/fleet1/nodes/bin-9/readings", m2);
          pub(TOPIC, junk);
          awaitCount(4);
          // then
          assertThat(forwarded).hasSize(1);
          assertThat(forwarded.get(0).nodeId()).isEqualTo("bin-7");
          assertThat(forwarded.get(0).cose().toByteArray()).isEqualTo(m1);
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
          byte[] big = new byte[20 * 1024];
          byte[] m1 = signed(1);
          // when: the oversized message, then a valid reading behind it
          pub(TOPIC, big);
          pub(TOPIC, m1);
          Await.until(() -> !forwarded.isEmpty(), WAIT, "the valid reading forwarded");
          // then: the broker dropped the oversized one for us; the verifier never saw it
          assertThat(metrics.rejectedTotal()).as(metrics.rejectedByReason().toString()).isZero();
          assertThat(forwarded).hasSize(1);
          Await.until(
              () -> broker.logText().contains("Dropping too large outgoing PUBLISH"),
              WAIT,
              "the broker's log of the drop",
              broker::logText);
        });
  }
}
