package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.testing.LedgerProcess;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations of a real ledger process on a real Mosquitto: the structured log lines
 * (docs/ledger.md, "Structured logs") and the Prometheus series for ingest, lag, conflicts and
 * rejects, fed by a truck's signed entries and checkpoint, a conflicting entry, a forged one, and a
 * topic whose device name tries to inject a log field.
 */
class LedgerOpsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String EVENTS = " " + LedgerLog.LOGGER + " - ";
  private static final String TRUCK = "{fleet=\"fleet-a\",device=\"truck-1\"}";

  @TempDir Path tmp;
  private MosquittoProcess broker;
  private LedgerProcess ledger;
  private SignedLog log;

  @BeforeEach
  void setUp() throws Exception {
    broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    log = new SignedLog("truck-1", 31);
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("devices"));
    TestPki.writePem(
        data.resolve("devices/truck-1.pem"),
        pki.deviceCertificate("truck-1", log.key().publicKey()));
    Files.createDirectories(data.resolve("trust"));
    Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
    ledger =
        LedgerProcess.start(
            broker.url(), data, data.resolve("trust/fleet-ca.pem"), "fleet-a", null, "ledger-ops");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ledger != null) {
      ledger.close();
    }
    broker.close();
  }

  private void publish(String topic, Bytes payload, String index) {
    MosquittoClients.Message m = MosquittoClients.Message.of(topic, payload.toByteArray()).qos(1);
    if (index != null) {
      m = m.userProperty("index", index).userProperty("kind", "collection");
    }
    assertThat(MosquittoClients.publish(Conn.to(broker), m).ok()).isTrue();
  }

  private long metric(String series) {
    try {
      return ledger.metric(series);
    } catch (Exception e) {
      throw new IllegalStateException("metrics unavailable: " + e.getMessage(), e);
    }
  }

  /** The parsed structured line of the first event that matches, if any. */
  private Optional<Map<String, String>> event(String event, String device) {
    return ledger.output().stream()
        .filter(l -> l.contains(EVENTS))
        .map(l -> LedgerLogTest.parse(l.substring(l.indexOf(EVENTS) + EVENTS.length())))
        .filter(kv -> kv.get("event").equals(event) && kv.get("device").equals(device))
        .findFirst();
  }

  private Map<String, String> awaitEvent(String event, String device) {
    Await.until(
        () -> event(event, device).isPresent(),
        WAIT,
        () -> "no " + event + " of " + device + " in " + ledger.output());
    return event(event, device).orElseThrow();
  }

  @Test
  void ledger_truckConflictForgeryAndHostileTopic_loggedAsFieldsAndCountedInMetrics()
      throws Exception {
    // given a truck's three entries, held, then its checkpoint
    log.append(3);
    for (int i = 0; i < 3; i++) {
      publish("haulproof/v1/fleet-a/truck-1/entries", log.read(i), Integer.toString(i));
    }
    Await.until(
        () -> metric("haulproof_ledger_entries_stored_total") == 3,
        WAIT,
        () -> "entries not stored: " + ledger.output());
    publish(
        "haulproof/v1/fleet-a/truck-1/checkpoints",
        new CheckpointMessage(log.checkpoint("fleet-a").wire(), 0, List.of()).encode(),
        null);
    Map<String, String> cosigned = awaitEvent("checkpoint.cosigned", "truck-1");
    // when a different entry is offered at bound index 0, a forged one at 3, and a hostile name
    publish("haulproof/v1/fleet-a/truck-1/entries", log.read(1), "0");
    byte[] forged = log.read(2).toByteArray();
    forged[forged.length - 3] ^= 0x01;
    publish("haulproof/v1/fleet-a/truck-1/entries", Bytes.wrap(forged), "3");
    String hostile = "tr\"uck event=forged reason=x";
    publish("haulproof/v1/fleet-a/" + hostile + "/entries", log.read(0), "0");
    // then every refusal is one line with the four fields, the hostile name kept as a value
    assertThat(cosigned).containsEntry("fleet", "fleet-a").containsEntry("reason", "size 3");
    assertThat(awaitEvent("entry.conflict", "truck-1")).containsEntry("fleet", "fleet-a");
    Map<String, String> rejected = awaitEvent("entry.rejected", "truck-1");
    assertThat(rejected.get("reason")).isNotEqualTo("-");
    Map<String, String> refusedName = awaitEvent("topic.malformed", "-");
    assertThat(refusedName.get("reason")).contains("'" + hostile + "'");
    assertThat(event("forged", "-")).isEmpty();
    for (String line : ledger.output()) {
      if (line.contains(EVENTS)) {
        assertThat(
                LedgerLogTest.parse(line.substring(line.indexOf(EVENTS) + EVENTS.length()))
                    .keySet())
            .as(line)
            .containsExactly("event", "fleet", "device", "reason");
      }
    }
    // and the metrics count the ingest, the conflict and the refusals by reason
    Await.until(
        () -> metric("haulproof_ledger_conflicts_total") == 1,
        WAIT,
        () -> "conflict not counted: " + ledger.output());
    assertThat(metric("haulproof_ledger_entries_stored_total")).isEqualTo(3);
    assertThat(metric("haulproof_ledger_entries_bound_total")).isEqualTo(3);
    assertThat(metric("haulproof_ledger_evidence{kind=\"conflict\"}")).isEqualTo(1);
    assertThat(metric("haulproof_ledger_device_bound" + TRUCK)).isEqualTo(3);
    assertThat(metric("haulproof_ledger_device_lag" + TRUCK)).isZero();
    assertThat(metric("haulproof_ledger_device_last_seen_seconds" + TRUCK))
        .isBetween(0L, WAIT.toSeconds() * 3);
    assertThat(metric("haulproof_ledger_rejects_total{reason=\"entry.bad_signature\"}"))
        .isEqualTo(1);
    assertThat(ledger.get("/metrics").body())
        .contains("haulproof_ledger_rejects_total{reason=\"topic.malformed\"} 1")
        .doesNotContain("uck event=forged");
    // and no HTTP event loop was held up while it served (limit 500 ms, see LedgerProcess)
    assertThat(ledger.get("/metrics").body()).doesNotContain("http.event_loop_blocked");
  }
}
