package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.testing.LedgerProcess;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.LostEntryMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 holes 1, 9 and 10, attacked the way an outsider with access to the broker would: the
 * real ledger process (SQLite), a real Mosquitto, {@code mosquitto_pub}. The truck's own entries
 * and checkpoints are published the same way.
 */
class LedgerAttackIT {
  /** The database the ledger runs on: null for SQLite in the data dir (this class). */
  protected String database() throws Exception {
    return null;
  }

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FLEET = "fleet-a";
  private static final String DEVICE = "truck-1";
  private static final String BOUND =
      "haulproof_ledger_device_bound{fleet=\"fleet-a\",device=\"truck-1\"}";

  @TempDir Path tmp;
  private MosquittoProcess broker;
  private LedgerProcess ledger;
  private SignedLog log;
  private Path data;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    log = new SignedLog(DEVICE, 13);
    data = tmp.resolve("data");
    Files.createDirectories(data.resolve("devices"));
    TestPki.writePem(
        data.resolve("devices/truck-1.pem"), pki.deviceCertificate(DEVICE, log.key().publicKey()));
    Files.createDirectories(data.resolve("trust"));
    Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
  }

  private void startLedger(List<String> jvmArgs) throws Exception {
    ledger =
        LedgerProcess.start(
            broker.url(),
            data,
            data.resolve("trust/fleet-ca.pem"),
            FLEET,
            database(),
            "ledger-attack",
            jvmArgs);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    broker.close();
  }

  private void publish(String topic, Bytes payload, String index, String kind) {
    MosquittoClients.Message m = MosquittoClients.Message.of(topic, payload.toByteArray()).qos(1);
    if (index != null) {
      m = m.userProperty("index", index);
    }
    if (kind != null) {
      m = m.userProperty("kind", kind);
    }
    assertThat(MosquittoClients.publish(Conn.to(broker), m).ok()).isTrue();
  }

  private void sendEntry(long i) {
    publish("haulproof/v1/fleet-a/truck-1/entries", log.read(i), Long.toString(i), "collection");
  }

  private void sendCheckpoint(long size, long from) {
    List<Hash> proof = from == 0 || from == size ? List.of() : log.consistencyProof(from, size);
    String note = log.checkpoint(FLEET).wire(); // the device signs its current size
    assertThat(log.size()).isEqualTo(size);
    publish(
        "haulproof/v1/fleet-a/truck-1/checkpoints",
        new CheckpointMessage(note, from, proof).encode(),
        null,
        null);
  }

  private long metric(String name) {
    try {
      return ledger.metric(name);
    } catch (Exception e) {
      throw new IllegalStateException("metrics unavailable: " + e.getMessage(), e);
    }
  }

  private String metrics() {
    try {
      return ledger.get("/metrics").body();
    } catch (Exception e) {
      return "metrics unavailable: " + e.getMessage();
    }
  }

  private long events(String event) {
    return Math.max(0, metric("haulproof_ledger_events_total{event=\"" + event + "\"}"));
  }

  @Test
  void hole1_replayedEntryAndUnsignedLostAtNextIndex_recordNotRewritten_truckKeepsBeingCosigned()
      throws Exception {
    // given the truck's first 3 entries bound by its cosigned checkpoint
    startLedger(List.of());
    var receipts =
        MosquittoClients.subscribe(Conn.to(broker), "haulproof/v1/fleet-a/truck-1/receipts", "%x");
    toClose.add(receipts);
    log.append(3);
    for (long i = 0; i < 3; i++) {
      sendEntry(i);
    }
    sendCheckpoint(3, 0);
    Await.until(() -> metric(BOUND) == 3, WAIT, () -> "bound " + metrics() + ledger.output());
    // when someone without a key republishes entry 0 as index 3, and unsigned lost placeholders
    // at 3 and ahead at 4
    publish("haulproof/v1/fleet-a/truck-1/entries", log.read(0), "3", "collection");
    publish(
        "haulproof/v1/fleet-a/truck-1/entries",
        new LostEntryMessage(3, Hash.sha256(new byte[] {3})).encode(),
        "3",
        "lost");
    publish(
        "haulproof/v1/fleet-a/truck-1/entries",
        new LostEntryMessage(4, Hash.sha256(new byte[] {4})).encode(),
        "4",
        "lost");
    Await.until(
        () -> events("entry.replayed") == 1 && events("lost.buffered") == 2, WAIT, () -> "events");
    // and the truck goes on
    log.append(3);
    for (long i = 3; i < 6; i++) {
      sendEntry(i);
    }
    sendCheckpoint(6, 3);
    // then its entries are bound at their true places, the forgeries are evidence
    Await.until(() -> metric(BOUND) == 6, WAIT, () -> "bound " + metric(BOUND));
    var entry3 = ledger.get("/v1/devices/fleet-a/truck-1/entries/3");
    assertThat(entry3.statusCode()).isEqualTo(200);
    assertThat(entry3.body()).contains(log.read(3).toHex());
    assertThat(events("entry.unbound")).isEqualTo(2);
    // and its next checkpoint is cosigned, not refused as a fork
    log.append(2);
    sendEntry(6);
    sendEntry(7);
    sendCheckpoint(8, 6);
    Await.until(() -> metric(BOUND) == 8, WAIT, () -> "bound " + metric(BOUND));
    assertThat(events("receipt.cosigned")).isEqualTo(3);
    assertThat(events("receipt.conflict")).isZero();
  }

  @Test
  void hole9_dotDotAndForeignFleetTopics_refused_nothingWrittenOutsideTheDatabase()
      throws Exception {
    // given
    startLedger(List.of());
    log.append(1);
    List<Path> before = listing(data);
    // when
    publish("haulproof/v1/../truck-1/entries", log.read(0), "0", "collection");
    publish("haulproof/v1/fleet-a/../entries", log.read(0), "0", "collection");
    publish("haulproof/v1/./witness/entries", log.read(0), "0", "collection");
    publish("haulproof/v1/fleet-b/truck-1/entries", log.read(0), "0", "collection");
    publish(
        "haulproof/v1/../trust/checkpoints",
        new CheckpointMessage(log.checkpoint(FLEET).wire(), 0, List.of()).encode(),
        null,
        null);
    // then
    Await.until(
        () -> events("topic.bad_name") == 4 && events("entry.unknown_device") == 1,
        WAIT,
        this::metrics);
    assertThat(listing(data)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(Files.exists(data.resolve("witness/entries.dat"))).isFalse();
    assertThat(Files.exists(data.resolve("trust/entries.dat"))).isFalse();
    assertThat(Files.exists(data.getParent().resolve("entries.dat"))).isFalse();
    assertThat(metric(BOUND)).isZero();
  }

  private static List<Path> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("ledger.db"))
          .map(dir::relativize)
          .toList();
    }
  }

  @Test
  void hole10_floodOfForgedLostPlaceholders_boundedPerDevice_truckStillServed() throws Exception {
    // given a ledger allowing 20 unbound candidates per device
    startLedger(List.of("-Dhaulproof.ledger.pendingPerDevice=20"));
    // when 60 forged placeholders arrive far ahead
    for (int i = 100; i < 160; i++) {
      publish(
          "haulproof/v1/fleet-a/truck-1/entries",
          new LostEntryMessage(i, Hash.sha256(new byte[] {(byte) i})).encode(),
          Integer.toString(i),
          "lost");
    }
    Await.until(() -> events("lost.buffered") + events("lost.dropped") == 60, WAIT, this::metrics);
    // then at most 20 are kept
    assertThat(events("lost.buffered")).isEqualTo(20);
    assertThat(events("lost.dropped")).isEqualTo(40);
    // and the truck's own entries still find room and are bound
    log.append(5);
    for (long i = 0; i < 5; i++) {
      sendEntry(i);
    }
    sendCheckpoint(5, 0);
    Await.until(() -> metric(BOUND) == 5, WAIT, this::metrics);
    assertThat(events("pending.evicted")).isGreaterThanOrEqualTo(5);
    assertThat(metric("haulproof_ledger_device_pending{fleet=\"fleet-a\",device=\"truck-1\"}"))
        .isLessThanOrEqualTo(20);
  }
}
