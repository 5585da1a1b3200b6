package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.demo.Frames;
import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryKind;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TestPki;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof run} with an {@code uplink} section against {@code haulproof ledger}, both as
 * real processes: a smart bin over CoAP/DTLS (PSK) and a truck over MQTT with TLS client
 * certificates (TLS files and the witness key file from the configuration). Three tag reads become
 * three collection entries that the ledger stores; the witness's cosignatures come back and are
 * logged as receipt entries.
 */
@Timeout(420)
class RunUplinkLedgerIT {
  private static final Path JAR = Path.of("target/haulproof.jar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String FLEET = "fleet-a";

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));
  private TestPki pki;

  @AfterEach
  void tearDown() throws Exception {
    children.close();
  }

  @Test
  void run_binOverCoapsPsk_ledgerStoresEntriesAndReceiptsAreLogged() throws Exception {
    // given a ledger with a DTLS endpoint and the bin's PSK
    MosquittoProcess broker = children.add(MosquittoProcess.startPlain(dir.resolve("broker")));
    Path psk = secret("psk", "bin-1 " + HexFormat.of().formatHex("bin-1-dtls-psk-0123".getBytes()));
    DeviceKey key = deviceKey("bin-1");
    Ledger ledger =
        ledger(
            "bin-1",
            key,
            List.of("--broker", broker.url(), "--coaps-port", "0", "--psk-file", psk.toString()));
    assertThat(ledger.started().get("coaps").asInt()).isPositive();
    String uplink =
        "uplink: { coap: \"coaps://127.0.0.1:%d\", pskFile: \"%s\", witnessKey: \"%s\","
                .formatted(ledger.started().get("coaps").asInt(), psk, ledger.witnessKey())
            + " checkpointIntervalMs: 300 }\n";
    // when / then
    liftsThroughRun("bin-1", uplink, ledger);
  }

  @Test
  void run_truckOverSslMqttWithClientCertificate_ledgerStoresEntriesAndReceiptsAreLogged()
      throws Exception {
    // given a TLS broker that requires client certificates, for the ledger and the truck
    pki = TestPki.create(dir.resolve("pki"), "Fleet CA");
    MosquittoProcess broker =
        children.add(MosquittoProcess.builder(dir.resolve("broker")).tls(pki).start());
    TestPki.Issued ledgerCert = pki.client("ledger");
    TestPki.Issued truckCert = pki.client("truck-9");
    DeviceKey key = deviceKey("truck-9");
    Ledger ledger =
        ledger(
            "truck-9",
            key,
            List.of(
                "--broker",
                broker.url(),
                "--tls-ca",
                pki.caPem().toString(),
                "--tls-cert",
                ledgerCert.certPem().toString(),
                "--tls-key",
                ledgerCert.keyPem().toString()));
    String uplink =
        ("uplink: { broker: \"%s\", tls: { ca: \"%s\", cert: \"%s\", key: \"%s\" },"
                + " witnessKey: \"%s\", checkpointIntervalMs: 300 }\n")
            .formatted(
                broker.url(),
                pki.caPem(),
                truckCert.certPem(),
                truckCert.keyPem(),
                ledger.witnessKey());
    // when / then
    liftsThroughRun("truck-9", uplink, ledger);
    assertThat(broker.logText()).contains("truck-9");
  }

  private record Ledger(Process process, JsonNode started, Path witnessKey) {}

  /** Three tag reads through {@code run}; checks the ledger and the agent's own log. */
  private void liftsThroughRun(String device, String uplinkYaml, Ledger ledger) throws Exception {
    Path data = dir.resolve("data");
    Path rfid = children.add(SocatPtyPair.named(dir, "rfid")).a();
    String yaml =
        """
        device: { id: %s, fleet: %s, dataDir: "%s" }
        rfid:
          - { protocol: fdxb-uart, port: { path: "%s" }, side: REAR_COMB, debounceMs: 50 }
        bins: { enforce: false }
        chain: { blockMaxEntries: 1, blockMaxMs: 200 }
        http: { port: 0 }
        """
                .formatted(device, FLEET, data, rfid)
            + uplinkYaml
            + AgentYaml.keystore(data);
    Files.writeString(dir.resolve("agent.yaml"), yaml);
    Process agent =
        children.add(
            new ProcessBuilder(
                    "java",
                    "-Xmx64m",
                    EventLoopGuard.jvmArg(),
                    "-jar",
                    JAR.toString(),
                    "run",
                    "--config",
                    dir.resolve("agent.yaml").toString())
                .redirectError(dir.resolve("agent.err").toFile())
                .start());
    String line =
        new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).as(Files.readString(dir.resolve("agent.err"))).isNotNull();
    int agentHttp = JSON.readTree(line).get("http_port").asInt();
    // when: three different tags
    try (OutputStream r = new FileOutputStream(dir.resolve("rfid-peer").toFile())) {
      for (long tag = 1; tag <= 3; tag++) {
        r.write(Frames.fdxbUart(900, 250000000000L + tag));
        r.flush();
        long want = tag;
        Await.until(
            () -> get(agentHttp, "/api/status").contains("900-" + (250000000000L + want)),
            WAIT,
            "tag 900-" + (250000000000L + want) + " on the status page",
            () -> get(agentHttp, "/api/status"));
      }
    }
    // then: the witness cosigned a checkpoint covering them, and the agent logged the receipt
    int ledgerHttp = ledger.started().get("http").asInt();
    Await.until(
        () -> witnessedAtLeast(get(agentHttp, "/api/status"), 3),
        WAIT,
        "a witnessed checkpoint covering 3 entries",
        () -> get(agentHttp, "/api/status") + " ledger.err " + read(dir.resolve("ledger.err")));
    assertThat(get(ledgerHttp, "/v1/devices/" + FLEET + "/" + device + "/checkpoint"))
        .contains(FLEET + "/" + device);
    new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<EntryKind> kinds = new ArrayList<>();
    try (ChainReader reader = ChainReader.open(data)) {
      for (long i = 0; i < reader.size(); i++) {
        kinds.add(EntryCodec.decode(CoseSign1.decode(reader.read(i))).kind());
      }
      assertThat(reader.verify(n -> {}).valid()).isTrue();
    }
    assertThat(kinds.stream().filter(k -> k == EntryKind.collection)).hasSize(3);
    assertThat(kinds).contains(EntryKind.receipt);
    EventLoopGuard.assertNotBlocked("haulproof run", read(dir.resolve("agent.err")));
    EventLoopGuard.assertNotBlocked("haulproof ledger", read(dir.resolve("ledger.err")));
  }

  private static boolean witnessedAtLeast(String status, long size) {
    try {
      JsonNode r = JSON.readTree(status).get("last_receipt");
      return r != null && r.has("tree_size") && r.get("tree_size").asLong() >= size;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * Creates the device's key the way {@code run} will open it (encrypted file, the passphrase file
   * of {@link AgentYaml#keystore}), so that the ledger can hold its certificate before either
   * starts.
   */
  private DeviceKey deviceKey(String device) {
    Path data = dir.resolve("data");
    AgentYaml.keystore(data);
    Path pass = data.toAbsolutePath().resolveSibling(data.getFileName() + ".key-pass");
    return new FileKeyStore(
            FileKeyStore.keysDir(data), PassphraseSource.file(pass), CoseAlgorithm.ES256)
        .openOrCreate();
  }

  private Ledger ledger(String device, DeviceKey key, List<String> extra) throws Exception {
    if (pki == null) {
      pki = TestPki.create(dir.resolve("pki"), "Fleet CA");
    }
    Path data = dir.resolve("ledger");
    Files.createDirectories(data.resolve("trust"));
    Files.createDirectories(data.resolve("devices"));
    Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
    TestPki.writePem(
        data.resolve("devices/" + device + ".pem"), pki.deviceCertificate(device, key.publicKey()));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx96m",
                EventLoopGuard.jvmArg(),
                "-jar",
                JAR.toString(),
                "ledger",
                "--data-dir",
                data.toString(),
                "--http",
                "0",
                "--fleet",
                FLEET));
    cmd.addAll(extra);
    Process p =
        children.add(
            new ProcessBuilder(cmd).redirectError(dir.resolve("ledger.err").toFile()).start());
    String line =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).as(read(dir.resolve("ledger.err"))).isNotNull();
    Path witness = data.resolve("witness/witness.pub.pem");
    assertThat(witness).exists();
    return new Ledger(p, JSON.readTree(line), witness);
  }

  private Path secret(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.createFile(
        f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(f, content + "\n");
    return f;
  }

  private static String get(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      return "unreachable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String read(Path f) {
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
