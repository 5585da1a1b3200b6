package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.ReadingBody;
import io.haulproof.uplink.testing.Await;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smart bin's signed reading posted with libcoap's client ends up in the log as a {@code reading}
 * entry.
 */
class RemoteReadingsIT {
  @TempDir Path dir;

  @Test
  void coapPost_signedReadingThenReplay_oneReadingEntryAndOneReject() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          // given
          SoftwareDeviceKey bin =
              SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
          Files.writeString(dir.resolve("bin-7.pub.pem"), PublicKeys.toPem(bin.publicKey()));
          Files.writeString(
              dir.resolve("nodes.yaml"),
              "nodes:\n  - { id: bin-7, publicKey: \"" + dir.resolve("bin-7.pub.pem") + "\" }\n");
          MemoryEvidence evidence = new MemoryEvidence();
          AgentMetrics metrics = new AgentMetrics();
          RemoteReadingsVerticle v =
              new RemoteReadingsVerticle(
                  0, NodesFile.load(dir.resolve("nodes.yaml")), evidence, metrics);
          Vertx vertx = Vertx.vertx();
          try {
            vertx
                .deployVerticle(v)
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
            NodePayload p =
                new NodePayload(
                    "bin-7",
                    1,
                    OptionalLong.of(1_790_000_000L),
                    OptionalInt.of(55),
                    Optional.of(false),
                    Optional.of(false),
                    Optional.empty(),
                    Optional.of(false),
                    Optional.empty(),
                    OptionalLong.empty(),
                    OptionalLong.of(612),
                    Optional.of("mm"));
            Path f = dir.resolve("reading.cose");
            Files.write(f, CoseSign1.sign(bin, p.encode()).encoded().toByteArray());
            // when
            post(f, v.coapPort());
            Await.until(
                () -> !evidence.bodies.isEmpty(), Duration.ofSeconds(30), "the reading's entry");
            post(f, v.coapPort());
            Await.until(
                () -> metrics.count("haulproof.rejects", "driver", "remote") > 0,
                Duration.ofSeconds(30),
                "the replayed reading counted as a reject");
            // then
            assertThat(evidence.bodies)
                .singleElement()
                .isInstanceOfSatisfying(
                    ReadingBody.class, r -> assertThat(r.nodeId()).isEqualTo("bin-7"));
            assertThat(metrics.count("haulproof.readings", "driver", "remote")).isEqualTo(1);
            // and the entry was signed and appended off the event loop
            assertThat(evidence.blockingThreads)
                .isNotEmpty()
                .noneMatch(t -> t.contains("eventloop"));
          } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          }
        });
  }

  private void post(Path file, int port) throws Exception {
    Process p =
        new ProcessBuilder(
                "coap-client-notls",
                "-m",
                "post",
                "-t",
                "60",
                "-B",
                "30",
                "-f",
                file.toString(),
                "coap://127.0.0.1:" + port + "/hp/v1/readings")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("coap-" + System.nanoTime() + ".out").toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
