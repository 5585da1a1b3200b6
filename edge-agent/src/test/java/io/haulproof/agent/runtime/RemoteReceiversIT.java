package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.ReadingBody;
import io.haulproof.uplink.testing.Await;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TestPki;
import io.vertx.core.Vertx;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smart-bin readings configured in {@code remote} reach the log over a real Mosquitto broker
 * ({@code mosquitto_pub}) and over CoAP/DTLS with a pre-shared key ({@code coap-client-openssl}).
 */
class RemoteReceiversIT {
  private static final Duration HANG_GUARD = Duration.ofMinutes(2);
  private static final String PSK_ID = "bin-7";
  private static final String PSK_KEY = "secretPSK-bin-7-0123";

  @TempDir Path dir;
  private SoftwareDeviceKey bin;
  private Vertx vertx;
  private final MemoryEvidence evidence = new MemoryEvidence();
  private final AgentMetrics metrics = new AgentMetrics();

  @BeforeEach
  void setUp() throws Exception {
    bin = SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
    Files.writeString(dir.resolve("bin-7.pub.pem"), PublicKeys.toPem(bin.publicKey()));
    Files.writeString(
        dir.resolve("nodes.yaml"),
        "nodes:\n  - { id: bin-7, publicKey: \"" + dir.resolve("bin-7.pub.pem") + "\" }\n");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void mqttBroker_signedReadingThenReplayThenWrongNode_oneReadingEntryAndRejectsCounted() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
            // given
            RemoteReadingsVerticle v =
                deploy(
                    "remote: { mqttBroker: 'tcp://127.0.0.1:"
                        + broker.port()
                        + "', nodesFile: \""
                        + dir.resolve("nodes.yaml")
                        + "\" }\n");
            await(v::mqttSubscribed);
            Path reading = signedReading(1);
            // when
            publish(broker.port(), "haulproof/v1/f1/nodes/bin-7/readings", reading);
            await(() -> !evidence.bodies.isEmpty());
            publish(broker.port(), "haulproof/v1/f1/nodes/bin-7/readings", reading);
            publish(broker.port(), "haulproof/v1/f1/nodes/bin-8/readings", signedReading(2));
            await(() -> metrics.count("haulproof.rejects", "driver", "remote") >= 2);
            // then
            assertThat(evidence.bodies)
                .singleElement()
                .isInstanceOfSatisfying(
                    ReadingBody.class, r -> assertThat(r.nodeId()).isEqualTo("bin-7"));
            assertThat(metrics.count("haulproof.readings", "driver", "remote")).isEqualTo(1);
            assertThat(metrics.count("haulproof.entries", "kind", "reading")).isEqualTo(1);
          }
        });
  }

  /**
   * The smart-bin receiver on an {@code ssl://} local broker that requires client certificates: the
   * agent connects with the configured CA, certificate and key (the broker's name is checked).
   */
  @Test
  void mqttBrokerSsl_configuredTlsClientCertificate_readingLogged() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          TestPki pki = TestPki.create(dir.resolve("pki"), "Truck broker CA");
          try (MosquittoProcess broker =
              MosquittoProcess.builder(dir.resolve("broker")).tls(pki).start()) {
            // given
            TestPki.Issued agent = pki.client("agent-t1");
            TestPki.Issued node = pki.client("bin-7");
            RemoteReadingsVerticle v =
                deploy(
                    "remote: { mqttBroker: '"
                        + broker.url()
                        + "', mqttTls: { ca: \""
                        + pki.caPem()
                        + "\", cert: \""
                        + agent.certPem()
                        + "\", key: \""
                        + agent.keyPem()
                        + "\" }, nodesFile: \""
                        + dir.resolve("nodes.yaml")
                        + "\" }\n");
            await(v::mqttSubscribed);
            // when
            assertThat(
                    run(
                        List.of(
                            "mosquitto_pub",
                            "-h",
                            "localhost",
                            "-p",
                            Integer.toString(broker.port()),
                            "-V",
                            "mqttv5",
                            "-q",
                            "1",
                            "--cafile",
                            pki.caPem().toString(),
                            "--cert",
                            node.certPem().toString(),
                            "--key",
                            node.keyPem().toString(),
                            "-t",
                            "haulproof/v1/f1/nodes/bin-7/readings",
                            "-f",
                            signedReading(1).toString())))
                .isZero();
            // then
            await(() -> !evidence.bodies.isEmpty());
            assertThat(evidence.bodies).singleElement().isInstanceOf(ReadingBody.class);
            assertThat(broker.logText()).contains("agent-t1");
          }
        });
  }

  @Test
  void mqttBroker_downAtStart_startSucceedsThenSubscribesOnceTheBrokerIsUp() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
            // given: the broker is down when the receiver starts
            broker.stop();
            RemoteReadingsVerticle v =
                deploy(
                    "remote: { mqttBroker: 'tcp://127.0.0.1:"
                        + broker.port()
                        + "', nodesFile: \""
                        + dir.resolve("nodes.yaml")
                        + "\" }\n");
            assertThat(v.mqttSubscribed()).isFalse();
            // when
            broker.restart();
            await(v::mqttSubscribed);
            publish(broker.port(), "haulproof/v1/f1/nodes/bin-7/readings", signedReading(1));
            // then
            await(() -> !evidence.bodies.isEmpty());
            assertThat(evidence.bodies).singleElement().isInstanceOf(ReadingBody.class);
          }
        });
  }

  @Test
  void coapsPsk_rightKeyThenWrongKey_onlyTheRightOneIsLogged() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          // given
          Path psk = dir.resolve("psk.txt");
          Files.writeString(
              psk,
              "# identity key\n"
                  + PSK_ID
                  + " "
                  + HexFormat.of().formatHex(PSK_KEY.getBytes(StandardCharsets.US_ASCII))
                  + "\n");
          Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
          int port = freeUdpPort();
          RemoteReadingsVerticle v =
              deploy(
                  "remote: { coapsPort: "
                      + port
                      + ", pskFile: \""
                      + psk
                      + "\", nodesFile: \""
                      + dir.resolve("nodes.yaml")
                      + "\" }\n");
          assertThat(v.coapsPort()).isEqualTo(port);
          assertThat(v.coapPort()).isEqualTo(-1);
          Path refused = signedReading(1);
          Path accepted = signedReading(2);
          // when: the wrong key's handshake fails (libcoap still exits 0), then the right key
          coapsPost(refused, port, "wrong-key-0123456789");
          int right = coapsPost(accepted, port, PSK_KEY);
          await(() -> !evidence.bodies.isEmpty());
          // then: only the reading sent with the right key is logged
          assertThat(right).isZero();
          assertThat(evidence.bodies)
              .singleElement()
              .isInstanceOfSatisfying(
                  ReadingBody.class,
                  r -> {
                    assertThat(r.nodeId()).isEqualTo("bin-7");
                    assertThat(r.nodeCose().toByteArray()).isEqualTo(readAll(accepted));
                  });
          assertThat(metrics.count("haulproof.readings", "driver", "remote")).isEqualTo(1);
        });
  }

  private RemoteReadingsVerticle deploy(String remoteYaml) throws Exception {
    AgentConfig c = new ConfigLoader().parse("device: { id: t1, fleet: f1 }\n" + remoteYaml);
    RemoteReadingsVerticle v =
        new RemoteReadingsVerticle(
            AgentFactory.receivers(c),
            NodesFile.load(Path.of(c.remote().nodesFile())),
            evidence,
            metrics);
    vertx.deployVerticle(v).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return v;
  }

  private Path signedReading(long counter) throws Exception {
    NodePayload p =
        new NodePayload(
            "bin-7",
            counter,
            OptionalLong.of(1_790_000_000L + counter),
            OptionalInt.of(55),
            Optional.of(false),
            Optional.of(false),
            Optional.empty(),
            Optional.of(false),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.of(612),
            Optional.of("mm"));
    Path f = dir.resolve("reading-" + counter + ".cose");
    Files.write(f, CoseSign1.sign(bin, p.encode()).encoded().toByteArray());
    return f;
  }

  private void publish(int port, String topic, Path file) throws Exception {
    run(
        List.of(
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-V",
            "mqttv5",
            "-q",
            "1",
            "-t",
            topic,
            "-f",
            file.toString()));
  }

  private int coapsPost(Path file, int port, String key) throws Exception {
    return run(
        List.of(
            "coap-client-openssl",
            "-m",
            "post",
            "-t",
            "60",
            "-B",
            "10",
            "-u",
            PSK_ID,
            "-k",
            key,
            "-f",
            file.toString(),
            "coaps://127.0.0.1:" + port + "/hp/v1/readings"));
  }

  private int run(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("cmd-" + System.nanoTime() + ".out").toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }

  private static byte[] readAll(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(BooleanSupplier condition) {
    Await.until(
        condition, Duration.ofSeconds(60), "a condition of RemoteReceiversIT (see the stack)");
  }
}
