package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.testing.InProcessCli;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryKind;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TestPki;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production wiring with a {@code management} section, against a real Mosquitto: the technician
 * enrolls the running agent with {@code haulproof provision enroll}; the enrollment and the initial
 * config land in the agent's own evidence log, signed with the enrolled key.
 */
@ExtendWith(EventLoopGuard.class)
class RunWithManagementIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void run_notEnrolled_technicianEnrollsItAndTheLogRecordsKeyAndConfig() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
            enrollRunningAgent(broker.url(), "", List.of());
          }
        });
  }

  /**
   * An {@code ssl://} management broker is used as TLS with the configured CA, certificate and key
   * (the broker requires client certificates, so a downgrade to tcp:// or a missing certificate
   * could not connect at all).
   */
  @Test
  void run_sslManagementBroker_agentConnectsWithConfiguredTlsAndTechnicianEnrolls() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          TestPki pki = TestPki.create(dir.resolve("pki"), "Truck broker CA");
          try (MosquittoProcess broker =
              MosquittoProcess.builder(dir.resolve("broker")).tls(pki).start()) {
            TestPki.Issued agent = pki.client("agent-truck-7");
            TestPki.Issued tech = pki.client("tech-alice");
            String tls =
                ", tls: { ca: \"%s\", cert: \"%s\", key: \"%s\" }"
                    .formatted(pki.caPem(), agent.certPem(), agent.keyPem());
            assertThat(broker.url()).startsWith("ssl://");
            enrollRunningAgent(
                broker.url(),
                tls,
                List.of(
                    "--tls-ca",
                    pki.caPem().toString(),
                    "--tls-cert",
                    tech.certPem().toString(),
                    "--tls-key",
                    tech.keyPem().toString()));
            assertThat(broker.logText()).contains("agent-truck-7");
          }
        });
  }

  /** The local broker's credentials come from config: a user and a 0600 password file. */
  @Test
  void run_managementBrokerWithPassword_agentAuthenticatesFromPasswordFile() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          try (MosquittoProcess broker =
              MosquittoProcess.builder(dir.resolve("broker"))
                  .passwords(Map.of("agent", "agent-secret", "tech", "tech-secret"))
                  .start()) {
            Path pw = dir.resolve("agent.pw");
            Files.createFile(
                pw,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pw, "agent-secret\n");
            enrollRunningAgent(
                broker.url(),
                ", username: agent, passwordFile: \"%s\"".formatted(pw),
                List.of("--username", "tech", "--password-env", "HAULPROOF_IT_TECH_PW"));
          }
        });
  }

  private void enrollRunningAgent(String brokerUrl, String managementExtra, List<String> cliExtra)
      throws Exception {
    Path ca = dir.resolve("ca");
    assertThat(
            InProcessCli.run("provision", "init-ca", "--ca-dir", ca.toString(), "--fleet", "acme")
                .get(0))
        .isEqualTo("0");
    List<String> claim =
        InProcessCli.run(
            "provision", "claim", "--device", "truck-7", "--out", dir.resolve("claim").toString());
    String code = (String) JSON.readValue(claim.get(claim.size() - 1), Map.class).get("claim");
    Files.writeString(
        dir.resolve("agent.yaml"),
        """
        device: { id: truck-7, fleet: acme, dataDir: "%s" }
        rfid:
          - { protocol: fdxb-uart, port: { path: /dev/null }, side: REAR_COMB }
        bins: { enforce: false }
        management: { broker: "%s", fleetRoot: "%s", claimFile: "%s"%s }
        """
                .formatted(
                    dir.resolve("data"),
                    brokerUrl,
                    ca.resolve("root.crt"),
                    dir.resolve("claim"),
                    managementExtra)
            + io.haulproof.agent.testing.AgentYaml.keystore(dir.resolve("data")));
    AgentConfig config = new ConfigLoader().load(dir.resolve("agent.yaml"));
    AgentFactory.Built built = AgentFactory.build(config, Notifier.none(), 0, "it");
    AgentRuntime runtime = new AgentRuntime(built.parts(), new VertxOptions(), built.metrics());
    built.bind(runtime);
    try {
      runtime.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      // when
      List<String> args =
          new ArrayList<>(
              List.of(
                  "provision",
                  "enroll",
                  "--device",
                  "truck-7",
                  "--claim",
                  code,
                  "--broker",
                  brokerUrl,
                  "--ca-dir",
                  ca.toString(),
                  "--set",
                  "route.tour=north-1",
                  "--timeout",
                  "60"));
      args.addAll(cliExtra);
      List<String> enroll = InProcessCli.run(args.toArray(String[]::new));
      // then
      assertThat(enroll.get(0)).as("%s", enroll).isEqualTo("0");
    } finally {
      runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    List<EntryKind> kinds = new ArrayList<>();
    try (ChainReader reader = ChainReader.open(dir.resolve("data"))) {
      for (long i = 0; i < reader.size(); i++) {
        kinds.add(EntryCodec.decode(CoseSign1.decode(reader.read(i))).kind());
      }
      assertThat(reader.verify(n -> {}).valid()).isTrue();
    }
    assertThat(kinds).contains(EntryKind.key, EntryKind.config);
  }
}
