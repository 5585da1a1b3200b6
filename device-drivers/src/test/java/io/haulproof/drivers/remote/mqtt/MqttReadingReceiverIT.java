package io.haulproof.drivers.remote.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.drivers.testing.Mosquitto;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT receiver against a real Mosquitto, with messages published by {@code mosquitto_pub -f}.
 */
class MqttReadingReceiverIT {
  @TempDir Path dir;
  private Mosquitto broker;
  private MqttReadingReceiver receiver;
  private final SoftwareDeviceKey bin7 =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
  private final NodeRegistry registry = new NodeRegistry();
  private final DriverMetrics metrics = new DriverMetrics("mqtt-nodes");
  private final List<VerifiedNodeMessage> forwarded = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = new Mosquitto(dir);
    registry.register("bin-7", bin7.publicKey());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    receiver =
        MqttReadingReceiver.start(
            broker.url(),
            "agent-test",
            "fleet1",
            o,
            new NodeReadingVerifier(registry, Stamp::now, metrics),
            m -> {
              forwarded.add(m);
              return java.util.concurrent.CompletableFuture.completedFuture(null);
            });
  }

  @AfterEach
  void stop() throws Exception {
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
                String.valueOf(broker.port),
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
        Duration.ofSeconds(60),
        n + " messages processed",
        () -> "accepted " + metrics.acceptedCount() + ", rejected " + metrics.rejectedTotal());
  }

  @Test
  void readings_validReplayWrongTopic_onlyValidForwarded() throws Exception {
    // given
    Path m1 = signed(1);
    Path m2 = signed(2);
    // when
    pub("haulproof/v1/fleet1/nodes/bin-7/readings", m1);
    pub("haulproof/v1/fleet1/nodes/bin-7/readings", m1);
    pub("haulproof/v1/fleet1/nodes/bin-9/readings", m2);
    Path junk = dir.resolve("junk");
    Files.writeString(junk, "hello");
    pub("haulproof/v1/fleet1/nodes/bin-7/readings", junk);
    awaitCount(4);
    // then
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).nodeId()).isEqualTo("bin-7");
    assertThat(forwarded.get(0).cose().toByteArray()).isEqualTo(Files.readAllBytes(m1));
    assertThat(metrics.rejectedByReason())
        .containsEntry("replay", 1L)
        .containsEntry("node-mismatch", 1L)
        .containsEntry("malformed", 1L);
  }
}
