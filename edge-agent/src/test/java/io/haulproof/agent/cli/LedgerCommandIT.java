package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.testing.ProcessLines;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code haulproof ledger} as a real process against a real Mosquitto, stopped with SIGTERM. */
class LedgerCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;
  private MosquittoProcess broker;
  private Process ledger;

  @AfterEach
  void tearDown() throws Exception {
    if (ledger != null && ledger.isAlive()) {
      ledger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void ledger_entriesAndCheckpoint_storesCosignsServesAndStopsOnSigterm() throws Exception {
    // given a data dir with the fleet CA and one device certificate
    broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
    Path data = tmp.resolve("data");
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    SignedLog log = new SignedLog("truck-1", 31);
    log.append(3);
    Files.createDirectories(data.resolve("trust"));
    Files.createDirectories(data.resolve("devices"));
    Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
    TestPki.writePem(
        data.resolve("devices/truck-1.pem"),
        pki.deviceCertificate("truck-1", log.key().publicKey()));
    Path tokenFile = tmp.resolve("audit.token");
    Files.writeString(tokenFile, "auditor-token-0123456789abcdef\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    ledger =
        new ProcessBuilder(
                javaBin(),
                EventLoopGuard.jvmArg(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.haulproof.agent.cli.Main",
                "ledger",
                "--broker",
                broker.url(),
                "--fleet",
                "fleet-a",
                "--data-dir",
                data.toString(),
                "--http",
                "0",
                "--audit-token-file",
                tokenFile.toString())
            .start();
    ProcessLines err =
        ProcessLines.follow("ledger stderr", ledger.getErrorStream(), tmp.resolve("ledger.err"));
    ProcessLines out =
        ProcessLines.follow(
            "ledger stdout", ledger.getInputStream(), tmp.resolve("ledger.out"), err::describe);
    JsonNode started = JSON.readTree(out.await(l -> !l.isEmpty(), WAIT, "the start line").get(0));
    assertThat(started.get("ledger").asText()).isEqualTo("running");
    assertThat(started.get("devices").asInt()).isEqualTo(1);
    int http = started.get("http").asInt();
    var receipts =
        MosquittoClients.subscribe(Conn.to(broker), "haulproof/v1/fleet-a/truck-1/receipts", "%x");
    // the ledger connects and subscribes in the background; its supervisor logs this once every
    // subscription is acknowledged
    err.awaitLineContaining("connected to " + broker.url(), WAIT);

    // when entries and a checkpoint arrive from an outside publisher
    for (int i = 0; i < 3; i++) {
      MosquittoClients.publish(
          Conn.to(broker),
          MosquittoClients.Message.of(
                  "haulproof/v1/fleet-a/truck-1/entries", log.read(i).toByteArray())
              .userProperty("index", "" + i)
              .userProperty("seq", "" + (i + 1))
              .userProperty("kind", "collection"));
    }
    String note = log.checkpoint("fleet-a").wire();
    MosquittoClients.publish(
        Conn.to(broker),
        MosquittoClients.Message.of(
            "haulproof/v1/fleet-a/truck-1/checkpoints",
            new CheckpointMessage(note, 0, List.of()).encode().toByteArray()));

    // then
    List<String> lines = receipts.awaitLines(1, WAIT);
    receipts.close();
    assertThat(lines).as(err.describe()).isNotEmpty();
    PublicKey witness =
        PublicKeys.fromPem(Files.readString(data.resolve("witness/witness.pub.pem")));
    assertThat(
            SignedReceipt.open(SignatureVerifier.of(witness), Bytes.fromHex(lines.get(0)))
                .receipt())
        .isInstanceOf(ReceiptMessage.Cosigned.class);
    HttpResponse<String> cp =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + http + "/v1/devices/fleet-a/truck-1/checkpoint"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(cp.body()).isEqualTo(note);
    // and entry reads need the auditors' token, while /health stays open
    String entry = "http://127.0.0.1:" + http + "/v1/devices/fleet-a/truck-1/entries/0";
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> anonymous =
        client.send(
            HttpRequest.newBuilder(URI.create(entry)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
    HttpResponse<String> auditor =
        client.send(
            HttpRequest.newBuilder(URI.create(entry))
                .header("Authorization", "Bearer auditor-token-0123456789abcdef")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(auditor.statusCode()).as(auditor.body()).isEqualTo(200);
    assertThat(auditor.body()).contains(log.read(0).toHex());
    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);

    ledger.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its stdout)
    assertThat(ledger.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out.awaitEnd(Duration.ofSeconds(30))).isTrue();
    List<String> all = out.lines();
    List<String> rest = all.subList(1, all.size());
    assertThat(rest).as("stdout after SIGTERM").isNotEmpty();
    JsonNode stopped = JSON.readTree(rest.get(rest.size() - 1));
    assertThat(stopped.has("ledger")).as(rest.toString()).isTrue();
    assertThat(stopped.get("ledger").asText()).isEqualTo("stopped");
    assertThat(err.awaitEnd(Duration.ofSeconds(30))).isTrue();
    EventLoopGuard.assertNotBlocked("haulproof ledger", String.join("\n", err.lines()));
    assertThat(stopped.get("entry.bound").asLong()).as(rest.toString()).isEqualTo(3);
    assertThat(stopped.get("receipt.cosigned").asLong()).isEqualTo(1);
  }

  @Test
  void ledger_missingTrustAnchor_usageError() {
    // given
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    // when
    int code =
        cl.execute(
            "ledger",
            "--broker",
            "tcp://127.0.0.1:1",
            "--fleet",
            "fleet-a",
            "--data-dir",
            tmp.resolve("empty").toString());
    // then
    assertThat(code).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("trust anchor");
  }

  @Test
  void ledger_auditTokenFileReadableByOthers_usageError() throws Exception {
    // given a token file that others may read
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("trust"));
    Files.copy(
        TestPki.create(tmp.resolve("pki"), "Fleet CA").caPem(), data.resolve("trust/fleet-ca.pem"));
    Path tokenFile = tmp.resolve("audit.token");
    Files.writeString(tokenFile, "auditor-token-0123456789abcdef\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    // when
    int code =
        cl.execute(
            "ledger",
            "--broker",
            "tcp://127.0.0.1:1",
            "--fleet",
            "fleet-a",
            "--data-dir",
            data.toString(),
            "--http",
            "0",
            "--audit-token-file",
            tokenFile.toString());
    // then it does not start, and says why without showing the token
    assertThat(code).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("0600").doesNotContain("auditor-token");
    assertThat(Files.exists(data.resolve("ledger.lock"))).isFalse();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
