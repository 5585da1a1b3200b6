package io.haulproof.agent.mgmt;

import static io.haulproof.agent.mgmt.MgmtFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.mgmt.mqtt.MqttManagementEndpoint;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.CsrBuilder;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.agent.provision.Pem;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoClients.Message;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment and management against a real Mosquitto: the agent side in-process over Paho, the
 * technician side through {@code haulproof provision}, and forgeries published with the real {@code
 * mosquitto_pub} (MQTT 5, response topic and correlation data) whose rejections are read with
 * {@code mosquitto_sub}.
 */
@Timeout(300)
class ManagementMqttIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DeviceRef REF = new DeviceRef("acme", "truck-7");

  @TempDir Path dir;
  MosquittoProcess broker;
  MqttManagementEndpoint endpoint;
  ManagementService service;
  DeviceIdentity identity;
  RecordingHooks hooks = new RecordingHooks();
  Path caDir;

  @BeforeEach
  void setUp() throws Exception {
    broker = MosquittoProcess.startPlain(dir.resolve("broker"));
    caDir = dir.resolve("ca");
    assertThat(
            CliRun.of("provision", "init-ca", "--ca-dir", caDir.toString(), "--fleet", "acme")
                .exit())
        .isZero();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
    broker.stop();
  }

  /** Starts the agent side: identity with the pinned root from the CA, service, MQTT endpoint. */
  private void startAgent(Optional<Path> claimFile) throws Exception {
    var root = Pem.readCertificates(caDir.resolve("root.crt")).get(0);
    identity =
        DeviceIdentity.open(
            dir.resolve("device/identity"), REF, root, new MemoryKeyStore(), Clock.systemUTC());
    service =
        ManagementService.open(
            dir.resolve("device/mgmt"),
            identity,
            hooks,
            Clock.systemUTC(),
            new SimpleMeterRegistry());
    Optional<Enroller> enroller = Optional.empty();
    if (claimFile.isPresent()) {
      enroller =
          Optional.of(
              new Enroller(
                  identity, ClaimKey.load(claimFile.get()), "1.0.0-it", Clock.systemUTC()));
    }
    endpoint =
        new MqttManagementEndpoint(
            MqttSettings.of(broker.url(), "agent-truck-7"), service, enroller);
    endpoint.start();
    assertThat(endpoint.awaitSubscribed(Duration.ofSeconds(60))).isTrue();
  }

  private String enroll(String... extra) throws Exception {
    CliRun claim =
        CliRun.of(
            "provision", "claim", "--device", "truck-7", "--out", dir.resolve("claim").toString());
    String code = (String) JSON.readValue(claim.last(), Map.class).get("claim");
    startAgent(Optional.of(dir.resolve("claim")));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "provision",
                "enroll",
                "--device",
                "truck-7",
                "--claim",
                code,
                "--broker",
                broker.url(),
                "--ca-dir",
                caDir.toString(),
                "--timeout",
                "60"));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(new String[0]));
    assertThat(run.exit()).as("enroll output %s", run.lines()).isZero();
    assertThat(JSON.readValue(run.last(), Map.class).get("configured")).isEqualTo(extra.length > 0);
    return code;
  }

  @Test
  void enroll_claimCodeOverLocalBroker_deviceCertifiedConfiguredAndLogged() throws Exception {
    // when
    enroll("--set", "uplink.qos=1", "--set", "scale.rear.filter=8");

    // then
    assertThat(identity.enrolled()).isTrue();
    assertThat(identity.chain().get(0).getPublicKey()).isEqualTo(identity.activeKey().publicKey());
    assertThat(service.currentConfig().values())
        .containsEntry("uplink.qos", "1")
        .containsEntry("scale.rear.filter", "8");
    assertThat(((KeyBody) hooks.evidence.get(0)).action()).isEqualTo(KeyAction.ENROLL);
    assertThat(((ConfigBody) hooks.evidence.get(1)).section()).isEqualTo("config");
    assertThat(hooks.enrolledChain).isNotNull();
  }

  @Test
  void enroll_initialConfigRefusedByRuntime_enrolledButExitOne() throws Exception {
    // given a runtime that refuses the key the technician sets
    hooks.refuseConfig = true;
    CliRun claim =
        CliRun.of(
            "provision", "claim", "--device", "truck-7", "--out", dir.resolve("claim").toString());
    String code = (String) JSON.readValue(claim.last(), Map.class).get("claim");
    startAgent(Optional.of(dir.resolve("claim")));

    // when
    CliRun run =
        CliRun.enroll(
            "truck-7",
            code,
            broker.url(),
            caDir.toString(),
            "--set",
            "refuse.me=1",
            "--timeout",
            "60");

    // then: the certificate is in place, the configuration is not, and the tool says so
    assertThat(run.exit()).isEqualTo(1);
    Map<?, ?> summary = JSON.readValue(run.last(), Map.class);
    assertThat(summary.get("enrolled")).isEqualTo(true);
    assertThat(summary.get("configured")).isEqualTo(false);
    assertThat(run.stderr()).contains("APPLY_FAILED");
    assertThat(identity.enrolled()).isTrue();
    assertThat(service.currentConfig().version()).isZero();
  }

  @Test
  void enroll_wrongClaimCode_refusedDeviceStaysUnenrolled() throws Exception {
    // given
    CliRun.of(
        "provision", "claim", "--device", "truck-7", "--out", dir.resolve("claim").toString());
    startAgent(Optional.of(dir.resolve("claim")));

    // when
    CliRun run =
        CliRun.enroll(
            "truck-7", "0000-0000-0000-0000", broker.url(), caDir.toString(), "--timeout", "30");

    // then
    assertThat(run.exit()).isEqualTo(1);
    assertThat(identity.enrolled()).isFalse();
  }

  @Test
  void mgmt_forgeriesWithMosquittoPub_eachRejectedWithReason() throws Exception {
    // given an enrolled device, a second operator who gets revoked, and a subscriber on the
    // response topics
    enroll();
    FleetCa ca = FleetCa.open(caDir, Clock.systemUTC());
    OperatorCredentials alice = OperatorCredentials.open(caDir.resolve("operators/default"));
    assertThat(
            CliRun.of("provision", "issue-operator", "--ca-dir", caDir.toString(), "--name", "bob")
                .exit())
        .isZero();
    OperatorCredentials bob = OperatorCredentials.open(caDir.resolve("operators/bob"));
    CliRun revoke =
        CliRun.mgmt(
            "truck-7", "revoke", broker.url(), caDir.toString(), "--revoke-operator", "bob");
    assertThat(revoke.exit()).as("%s", revoke.lines()).isZero();
    FleetCa rogue = FleetCa.init(dir.resolve("rogue"), "acme", Clock.systemUTC());
    OperatorCredentials mallory =
        OperatorCredentials.issue(rogue, "mallory", dir.resolve("mallory"));
    var deviceKey = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    var deviceCert =
        ca.issueDevice(CsrBuilder.build(deviceKey, new DeviceRef("acme", "truck-9")), "truck-9");
    Instant now = Instant.now();
    RequestSigner aliceSigner = new RequestSigner(alice, Clock.systemUTC());
    Bytes valid = aliceSigner.sign(MgmtOp.INVENTORY, REF, texts(), Duration.ofMinutes(10));
    Bytes badSig =
        valid
            .slice(0, valid.length() - 1)
            .concat(Bytes.of((byte) (valid.get(valid.length() - 1) ^ 1)));
    MgmtRequest expired =
        new MgmtRequest(
            "config",
            REF,
            alice.nextVersion(Clock.systemUTC()),
            now.minusSeconds(600),
            now.minusSeconds(60),
            Certificates.der(alice.certificate()),
            texts("a.b", "1"));
    MgmtRequest otherTruck =
        new MgmtRequest(
            "config",
            new DeviceRef("acme", "truck-8"),
            alice.nextVersion(Clock.systemUTC()),
            now,
            now.plusSeconds(600),
            Certificates.der(alice.certificate()),
            texts("a.b", "1"));
    MgmtRequest asDevice =
        new MgmtRequest(
            "config",
            REF,
            1,
            now,
            now.plusSeconds(600),
            Certificates.der(deviceCert),
            texts("a.b", "1"));
    Map<String, Bytes> forgeries = new java.util.LinkedHashMap<>();
    forgeries.put("UNSIGNED", expired.encode()); // the bare request map, no COSE_Sign1
    forgeries.put("EXPIRED", aliceSigner.sign(expired));
    forgeries.put("WRONG_TARGET", aliceSigner.sign(otherTruck));
    forgeries.put(
        "UNTRUSTED_SIGNER",
        new RequestSigner(mallory, Clock.systemUTC())
            .sign(MgmtOp.CONFIG, REF, texts("a.b", "1"), Duration.ofMinutes(5)));
    forgeries.put(
        "REVOKED_KEY",
        new RequestSigner(bob, Clock.systemUTC())
            .sign(MgmtOp.CONFIG, REF, texts("a.b", "1"), Duration.ofMinutes(5)));
    forgeries.put("NOT_PROVISIONING_KEY", CoseSign1.sign(deviceKey, asDevice.encode()).encoded());
    forgeries.put("BAD_SIGNATURE", badSig);
    forgeries.put("MALFORMED", Bytes.wrap("{\"op\":\"reboot\"}".getBytes()));
    forgeries.put("OVERSIZE", Bytes.wrap(new byte[MgmtRequest.MAX_ENCODED + 10]));
    long configBefore = service.currentConfig().version();
    Conn conn = Conn.to(broker);

    try (MosquittoClients.Subscription sub =
        MosquittoClients.subscribe(conn, REF.topic("mgmt/res/#"), "%t|%D|%p")) {
      sub.awaitSubscribed(broker, Duration.ofSeconds(60));
      // when: the valid request first, then its replay, then every forgery, each with its own
      // correlation data
      publish(conn, valid, "valid");
      publish(conn, valid, "replay");
      for (var e : forgeries.entrySet()) {
        publish(conn, e.getValue(), "forge-" + e.getKey());
      }
      List<String> lines = sub.awaitLines(2 + forgeries.size(), Duration.ofSeconds(90));

      // then
      assertThat(answer(lines, "valid")).containsEntry("status", "ok");
      assertThat(answer(lines, "replay")).containsEntry("reason", "REPLAYED");
      for (String reason : forgeries.keySet()) {
        assertThat(answer(lines, "forge-" + reason))
            .as("answer to forgery %s in %s", reason, lines)
            .containsEntry("status", "rejected")
            .containsEntry("reason", reason);
      }
    }
    assertThat(service.currentConfig().version()).isEqualTo(configBefore);
    assertThat(service.rejectedCount(RejectReason.REPLAYED)).isEqualTo(1);
  }

  @Test
  void mgmt_responseTopicOutsideDevice_answeredOnDefaultTopic() throws Exception {
    enroll();
    OperatorCredentials alice = OperatorCredentials.open(caDir.resolve("operators/default"));
    Bytes req =
        new RequestSigner(alice, Clock.systemUTC())
            .sign(MgmtOp.INVENTORY, REF, texts(), Duration.ofMinutes(5));
    Conn conn = Conn.to(broker);
    try (MosquittoClients.Subscription sub =
        MosquittoClients.subscribe(conn, "haulproof/#", "%t|%D|%p")) {
      sub.awaitSubscribed(broker, Duration.ofSeconds(60));
      MosquittoClients.publish(
          conn,
          Message.of(REF.topic("mgmt/req"), req.toByteArray())
              .qos(1)
              .responseTopic(REF.topic("entries"))
              .correlationData("sneaky"));
      // the request itself shows up too (binary); the answer is the JSON one
      List<String> lines = sub.awaitLines(2, Duration.ofSeconds(60));
      for (int i = 0; i < 100 && lines.stream().noneMatch(l -> l.contains("|sneaky|{")); i++) {
        lines = sub.awaitLines(lines.size() + 1, Duration.ofSeconds(1));
      }
      String answer = lines.stream().filter(l -> l.contains("|sneaky|{")).findFirst().orElseThrow();
      assertThat(answer).startsWith(REF.topic("mgmt/res") + "|");
      assertThat(lines).noneMatch(l -> l.startsWith(REF.topic("entries") + "|"));
    }
  }

  @Test
  void mgmt_configChangeThenRollback_viaCli() throws Exception {
    // given
    enroll("--set", "a.x=0");
    String[] base = {"--device", "truck-7", "--broker", broker.url(), "--ca-dir", caDir.toString()};

    // when
    CliRun set1 =
        CliRun.of(
            concat(new String[] {"provision", "mgmt", "--op", "config", "--set", "a.x=1"}, base));
    CliRun set2 =
        CliRun.of(
            concat(
                new String[] {
                  "provision", "mgmt", "--op", "config", "--set", "a.x=2", "--set", "a.y=3"
                },
                base));
    CliRun back =
        CliRun.of(
            concat(new String[] {"provision", "mgmt", "--op", "config", "--rollback", "2"}, base));

    // then
    assertThat(set1.exit()).as("%s", set1.lines()).isZero();
    assertThat(set2.exit()).isZero();
    assertThat(back.exit()).as("%s", back.lines()).isZero();
    Map<?, ?> res = JSON.readValue(back.last(), Map.class);
    assertThat(res.get("status")).isEqualTo("ok");
    assertThat(service.currentConfig().values()).containsExactlyEntriesOf(Map.of("a.x", "1"));
    assertThat(service.currentConfig().version()).isEqualTo(4);
    assertThat(hooks.evidence.stream().filter(b -> b instanceof ConfigBody).count()).isEqualTo(4);
  }

  @Test
  void mgmt_rotateKey_commitThenRollbackWhenRuntimeRefuses() throws Exception {
    // given
    enroll();
    String[] rotate = {
      "provision",
      "mgmt",
      "--device",
      "truck-7",
      "--op",
      "rotate-key",
      "--broker",
      broker.url(),
      "--ca-dir",
      caDir.toString()
    };
    var first = identity.activeKey().kid();

    // when: a rotation the runtime accepts
    CliRun ok = CliRun.of(rotate);

    // then
    assertThat(ok.exit()).as("%s", ok.lines()).isZero();
    var second = identity.activeKey().kid();
    assertThat(second).isNotEqualTo(first);
    assertThat(((KeyBody) hooks.evidence.get(hooks.evidence.size() - 1)).action())
        .isEqualTo(KeyAction.ROTATE);

    // when: a rotation the runtime refuses
    hooks.refuseNextKey = true;
    CliRun refused = CliRun.of(rotate);

    // then
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(JSON.readValue(refused.last(), Map.class).get("reason")).isEqualTo("APPLY_FAILED");
    assertThat(identity.activeKey().kid()).isEqualTo(second);
    CliRun inv = CliRun.mgmt("truck-7", "inventory", broker.url(), caDir.toString());
    assertThat(((Map<?, ?>) JSON.readValue(inv.last(), Map.class).get("result")).get("kid"))
        .isEqualTo(second.toHex());
  }

  private static void publish(Conn conn, Bytes payload, String correlation) {
    var r =
        MosquittoClients.publish(
            conn,
            Message.of(REF.topic("mgmt/req"), payload.toByteArray())
                .qos(1)
                .responseTopic(REF.topic("mgmt/res/it"))
                .correlationData(correlation));
    assertThat(r.ok()).as("mosquitto_pub %s", r.stderr()).isTrue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> answer(List<String> lines, String correlation)
      throws Exception {
    for (String l : lines) {
      String[] f = l.split("\\|", 3);
      if (f.length == 3 && f[1].equals(correlation)) {
        return (Map<String, Object>) JSON.readValue(f[2], Map.class);
      }
    }
    throw new AssertionError("no answer with correlation " + correlation + " in " + lines);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
