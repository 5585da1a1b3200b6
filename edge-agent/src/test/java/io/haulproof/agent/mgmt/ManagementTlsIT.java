package io.haulproof.agent.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.mgmt.mqtt.MqttManagementEndpoint;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.agent.provision.Pem;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.tls.TlsContexts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment over a TLS broker with client certificates and server-name verification, as on a real
 * truck.
 */
@Timeout(300)
class ManagementTlsIT {
  @TempDir Path dir;

  @Test
  void enroll_overTlsWithClientCertificates_succeeds() throws Exception {
    // given a TLS broker, the agent connected with its client certificate, and a technician
    // certificate
    TestPki pki = TestPki.create(dir.resolve("pki"), "Truck broker CA");
    MosquittoProcess broker = MosquittoProcess.builder(dir.resolve("broker")).tls(pki).start();
    MqttManagementEndpoint endpoint = null;
    try {
      Path ca = dir.resolve("ca");
      assertThat(
              CliRun.of("provision", "init-ca", "--ca-dir", ca.toString(), "--fleet", "acme")
                  .exit())
          .isZero();
      String code = CliRun.claimCode("truck-7", dir.resolve("claim"));
      DeviceRef ref = new DeviceRef("acme", "truck-7");
      DeviceIdentity identity =
          DeviceIdentity.open(
              dir.resolve("identity"),
              ref,
              Pem.readCertificates(ca.resolve("root.crt")).get(0),
              new MemoryKeyStore(),
              Clock.systemUTC());
      ManagementService service =
          ManagementService.open(
              dir.resolve("mgmt"),
              identity,
              new RecordingHooks(),
              Clock.systemUTC(),
              new SimpleMeterRegistry());
      TestPki.Issued agentCert = pki.client("agent-truck-7");
      MqttSettings agentTls =
          MqttSettings.of(broker.url(), "agent-truck-7")
              .withTls(
                  TlsContexts.context(
                      List.of(pki.caCertificate()),
                      Optional.of(List.of(agentCert.certificate())),
                      Optional.of(agentCert.privateKey())));
      endpoint =
          new MqttManagementEndpoint(
              agentTls,
              service,
              Optional.of(
                  new Enroller(
                      identity, ClaimKey.load(dir.resolve("claim")), "1.0.0", Clock.systemUTC())));
      endpoint.start();
      assertThat(endpoint.awaitSubscribed(Duration.ofSeconds(60))).isTrue();
      assertThat(endpoint.awaitSubscribed(Duration.ofSeconds(60))).isTrue();
      TestPki.Issued tech = pki.client("tech-alice");

      // when
      CliRun run =
          CliRun.enroll(
              "truck-7",
              code,
              broker.url(),
              ca.toString(),
              tlsOptions(pki, tech, "--timeout", "60"));

      // then
      assertThat(run.exit()).as("%s", run.lines()).isZero();
      assertThat(identity.enrolled()).isTrue();
      // the old flag names still work, with a note (RunWithManagementIT uses --tls-ca/-cert/-key)
      assertThat(run.stderr()).contains("--cafile is deprecated, use --tls-ca");
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
      broker.stop();
    }
  }

  @Test
  void mgmt_brokerCertificateForAnotherHost_refusedByHostnameCheck() throws Exception {
    // given a broker whose certificate names another host
    TestPki pki = TestPki.create(dir.resolve("pki"), "Truck broker CA");
    MosquittoProcess broker =
        MosquittoProcess.builder(dir.resolve("broker"))
            .tls(pki, pki.serverOnlyFor("other-truck.example"))
            .start();
    try {
      Path ca = dir.resolve("ca");
      assertThat(
              CliRun.of("provision", "init-ca", "--ca-dir", ca.toString(), "--fleet", "acme")
                  .exit())
          .isZero();
      TestPki.Issued tech = pki.client("tech-alice");

      // when
      CliRun run =
          CliRun.mgmt(
              "truck-7",
              "inventory",
              broker.url(),
              ca.toString(),
              tlsOptions(pki, tech, "--timeout", "10"));

      // then: no connection, no request sent
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.lines()).isEmpty();
      assertThat(run.stderr()).contains("cannot connect").containsIgnoringCase("localhost");
    } finally {
      broker.stop();
    }
  }

  /**
   * The technician's TLS options under their deprecated names ({@code --cafile --cert --key}),
   * followed by {@code more}.
   */
  private static String[] tlsOptions(TestPki pki, TestPki.Issued tech, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--cafile",
                pki.caPem().toString(),
                "--cert",
                tech.certPem().toString(),
                "--key",
                tech.keyPem().toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
