package io.haulproof.agent.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.LightchainKeyStores;
import io.haulproof.agent.provision.Pem;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled {@link ManagementAgent} under Vert.x with encrypted key files, against a real
 * Mosquitto: enrolled by the technician tool, restarted, and still answering with the same key.
 */
@Timeout(300)
class ManagementVerticleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void verticle_enrollRestartInventory_sameKeyAfterRestart() throws Exception {
    MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"));
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setMaxEventLoopExecuteTime(200)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      // given a CA and a device with a claim file
      Path ca = dir.resolve("ca");
      assertThat(
              CliRun.of("provision", "init-ca", "--ca-dir", ca.toString(), "--fleet", "acme")
                  .exit())
          .isZero();
      String code = CliRun.claimCode("truck-7", dir.resolve("claim"));
      ManagementSettings settings =
          new ManagementSettings(
              new DeviceRef("acme", "truck-7"),
              dir.resolve("data/provision"),
              Pem.readCertificates(ca.resolve("root.crt")).get(0),
              LightchainKeyStores.files(
                  dir.resolve("data/keys"),
                  PassphraseSource.of("pass".toCharArray()),
                  CoseAlgorithm.ES256),
              Optional.of(dir.resolve("claim")),
              "1.0.0",
              MqttSettings.of(broker.url(), "agent-truck-7"));
      RecordingHooks hooks = new RecordingHooks();
      ManagementAgent agent =
          ManagementAgent.open(settings, hooks, Clock.systemUTC(), new SimpleMeterRegistry());
      String deployment =
          vertx
              .deployVerticle(new ManagementVerticle(agent))
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);

      // when the technician enrolls it, and the agent restarts
      CliRun enroll =
          CliRun.enroll(
              "truck-7",
              code,
              broker.url(),
              ca.toString(),
              "--set",
              "uplink.qos=1",
              "--timeout",
              "60");
      assertThat(enroll.exit()).as("%s", enroll.lines()).isZero();
      String kid = agent.identity().activeKey().kid().toHex();
      vertx
          .undeploy(deployment)
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      ManagementAgent restarted =
          ManagementAgent.open(settings, hooks, Clock.systemUTC(), new SimpleMeterRegistry());
      vertx
          .deployVerticle(new ManagementVerticle(restarted))
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      assertThat(restarted.awaitSubscribed(java.time.Duration.ofSeconds(60))).isTrue();
      CliRun inv = CliRun.mgmt("truck-7", "inventory", broker.url(), ca.toString());

      // then
      assertThat(inv.exit()).as("%s", inv.lines()).isZero();
      Map<?, ?> result = (Map<?, ?>) JSON.readValue(inv.last(), Map.class).get("result");
      assertThat(result.get("kid")).isEqualTo(kid);
      assertThat(result.get("enrolled")).isEqualTo(true);
      assertThat(result.get("config_version")).isEqualTo(1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      broker.stop();
    }
  }
}
