package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.testing.InProcessLedger;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.tls.TlsContexts;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through a real Mosquitto: outbox and checkpoints on the device, the ledger and
 * witness centrally.
 */
class UplinkLedgerIT {
  static final String FLEET = "fleet-a";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  /** Receipts as the agent would see them. */
  static final class Receipts implements CheckpointPublisher.ReceiptListener {
    final List<ReceiptMessage.Cosigned> cosigned = new CopyOnWriteArrayList<>();
    final List<ReceiptMessage.Conflict> forks = new CopyOnWriteArrayList<>();
    final List<ReceiptMessage.Rejected> rejected = new CopyOnWriteArrayList<>();

    @Override
    public void cosigned(ReceiptMessage.Cosigned r) {
      cosigned.add(r);
    }

    @Override
    public void fork(ReceiptMessage.Conflict c) {
      forks.add(c);
    }

    @Override
    public void rejected(ReceiptMessage.Rejected r) {
      rejected.add(r);
    }
  }

  private MqttUplink uplink(
      SignedLog log,
      String url,
      InProcessLedger ledger,
      Receipts receipts,
      String stateDir,
      java.util.function.UnaryOperator<MqttSettings> tweak) {
    MqttSettings s =
        tweak.apply(
            MqttSettings.of(url, log.deviceId())
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
    MqttUplink.Config c =
        new MqttUplink.Config(
            new Topics(FLEET, log.deviceId()),
            s,
            tmp.resolve(stateDir),
            Outbox.Settings.defaults(),
            new CheckpointPublisher.Settings(Duration.ofMillis(500), 100),
            ledger.ledger().witnessPublicKey(),
            "test",
            log.key().kid().toHex());
    return closeLater(new MqttUplink(c, log, log, receipts));
  }

  private static void assertLedgerHoldsExactly(InProcessLedger ledger, SignedLog log)
      throws Exception {
    DeviceLedger d = ledger.ledger().device(new Topics(FLEET, log.deviceId()));
    assertThat(d.stored()).isEqualTo(log.size());
    for (long i = 0; i < log.size(); i++) {
      assertThat(d.entry(i)).as("entry %d", i).isEqualTo(log.read(i));
    }
    assertThat(d.conflicts()).isZero();
  }

  @Test
  void route_entriesAndCheckpoints_ledgerHoldsAllInOrderAndDeviceGetsVerifiedReceipt()
      throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("broker")));
    SignedLog log = new SignedLog("truck-1", 11);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url()));
    Receipts receipts = new Receipts();
    MqttUplink up = uplink(log, broker.url(), ledger, receipts, "dev", s -> s);
    var status =
        closeLater(MosquittoClients.subscribe(Conn.to(broker), "haulproof/v1/+/+/status", "%p"));
    // when
    log.append(150);
    up.start();
    log.append(150);
    log.checkpoint(FLEET);
    // then
    Await.until(
        () -> receipts.cosigned.stream().anyMatch(r -> r.size() == 300),
        WAIT,
        () -> "receipts " + receipts.cosigned.size() + ", ledger " + ledger.ledger().counters());
    Await.until(() -> up.outbox().cursor() == 300, WAIT, () -> "cursor " + up.outbox().cursor());
    Await.until(
        () -> ledger.ledger().device(new Topics(FLEET, "truck-1")).stored() == 300,
        WAIT,
        () -> ledger.ledger().counters().toString());
    assertLedgerHoldsExactly(ledger, log);
    assertThat(up.checkpoints().acknowledgedSize()).isEqualTo(300);
    assertThat(receipts.forks).isEmpty();
    assertThat(ledger.ledger().counters().keySet())
        .noneMatch(
            k ->
                k.startsWith("entry.")
                    && !k.equals("entry.stored")
                    && !k.equals("entry.buffered")
                    && !k.equals("entry.bound")
                    && !k.equals("entry.duplicate")
                    // a resend (the uplink resends what a receipt does not yet cover) whose
                    // signature the ledger verified already: benign, like entry.duplicate
                    && !k.equals("entry.signature_known"));
    ReceiptMessage.Cosigned r = receipts.cosigned.get(receipts.cosigned.size() - 1);
    assertThat(r.toReceiptBody().treeSize()).isEqualTo(300);
    assertThat(status.awaitLines(1, WAIT).get(0)).contains("\"state\":\"online\"");
  }

  @Test
  void brokerKilledMidRoute_restarted_noEntryLostNoneDuplicated() throws Exception {
    // given
    MosquittoProcess broker =
        closeLater(MosquittoProcess.builder(tmp.resolve("broker")).persistence(true).start());
    SignedLog log = new SignedLog("truck-1", 12);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url()));
    Receipts receipts = new Receipts();
    MqttUplink up = uplink(log, broker.url(), ledger, receipts, "dev", s -> s);
    DeviceLedger d = ledger.ledger().device(new Topics(FLEET, "truck-1"));
    log.append(3000);
    up.start();
    // entries are held as candidates until a device-signed checkpoint binds them (docs/ledger.md)
    Await.until(() -> d.held() >= 300, WAIT, () -> "held " + d.held());
    // when
    broker.kill9();
    long failed = up.connection().failures();
    log.append(500);
    // the route goes on offline for a while: the uplink has seen reconnects refused
    Await.until(
        () -> up.connection().failures() >= failed + 2,
        WAIT,
        () -> "reconnect failures " + up.connection().failures() + " since kill at " + failed);
    broker.restart();
    log.append(500);
    log.checkpoint(FLEET);
    // then
    Await.until(
        () -> d.stored() == 4000 && up.checkpoints().acknowledgedSize() == 4000,
        WAIT,
        () ->
            "stored "
                + d.stored()
                + " cursor "
                + up.outbox().cursor()
                + " "
                + ledger.ledger().counters());
    assertLedgerHoldsExactly(ledger, log);
    assertThat(up.connection().connects()).isGreaterThanOrEqualTo(2);
    assertThat(up.outbox().maxInFlightSeen())
        .isLessThanOrEqualTo(Outbox.Settings.defaults().window());
  }

  @Test
  void ledgerDownMidRoute_restarted_persistentSessionDeliversEverythingOnce() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("broker")));
    SignedLog log = new SignedLog("truck-1", 17);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url()));
    Receipts receipts = new Receipts();
    MqttUplink up = uplink(log, broker.url(), ledger, receipts, "dev", s -> s);
    log.append(400);
    up.start();
    Await.until(
        () -> ledger.ledger().device(new Topics(FLEET, "truck-1")).held() >= 100,
        WAIT,
        () -> ledger.ledger().counters().toString());
    // when the ledger goes away while the truck keeps sending
    ledger.stop();
    log.append(400);
    Await.until(() -> up.outbox().cursor() == 800, WAIT, () -> "cursor " + up.outbox().cursor());
    ledger.start(broker.url());
    log.checkpoint(FLEET);
    // then
    DeviceLedger d = ledger.ledger().device(new Topics(FLEET, "truck-1"));
    Await.until(
        () -> d.stored() == 800 && receipts.cosigned.stream().anyMatch(r -> r.size() == 800),
        WAIT,
        () -> "stored " + d.stored() + " " + ledger.ledger().counters());
    assertLedgerHoldsExactly(ledger, log);
  }

  @Test
  void forkedGateway_secondLogSameKeyDifferentCheckpointAtSameSize_conflictReported()
      throws Exception {
    // given a witnessed checkpoint at size 6
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("broker")));
    SignedLog log = new SignedLog("truck-1", 13);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url()));
    Receipts honest = new Receipts();
    MqttUplink up = uplink(log, broker.url(), ledger, honest, "dev", s -> s);
    log.append(6);
    log.checkpoint(FLEET);
    up.start();
    Await.until(
        () -> !honest.cosigned.isEmpty(), WAIT, () -> ledger.ledger().counters().toString());
    Await.until(
        () -> ledger.ledger().device(new Topics(FLEET, "truck-1")).stored() == 6,
        WAIT,
        () -> "entries bound: " + ledger.ledger().counters());
    up.close();
    toClose.remove(up);
    // when a restored SD card (same key, diverged after entry 3) checkpoints size 6
    SignedLog fork = SignedLog.sameKey(log);
    for (int i = 0; i < 3; i++) {
      fork.appendRaw(log.read(i));
    }
    fork.append(3);
    fork.checkpoint(FLEET);
    Receipts forked = new Receipts();
    MqttUplink up2 = uplink(fork, broker.url(), ledger, forked, "dev-restored", s -> s);
    up2.start();
    // then
    Await.until(() -> !forked.forks.isEmpty(), WAIT, () -> ledger.ledger().counters().toString());
    assertThat(forked.forks.get(0).reason()).contains("fork");
    assertThat(forked.cosigned).isEmpty();
    assertThat(up2.witnessConflicts()).isGreaterThanOrEqualTo(1);
    assertThat(up2.lastWitnessConflict()).contains("fork");
    // the retained status message on the broker carries the conflict
    String statusTopic = new Topics(FLEET, "truck-1").status();
    Await.until(
        () -> retained(broker, statusTopic).contains("\"witness_conflict\":\"fork"),
        WAIT,
        () -> retained(broker, statusTopic));
    Await.until(
        () -> ledger.ledger().device(new Topics(FLEET, "truck-1")).conflicts() >= 1,
        WAIT,
        () -> ledger.ledger().counters().toString());
    assertThat(ledger.ledger().device(new Topics(FLEET, "truck-1")).entry(3))
        .isEqualTo(log.read(3));
  }

  /** The retained message on {@code topic}, read with {@code mosquitto_sub}, or "". */
  private static String retained(MosquittoProcess broker, String topic) {
    try {
      Process p =
          new ProcessBuilder(
                  "mosquitto_sub",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(broker.port()),
                  "-V",
                  "mqttv5",
                  "-t",
                  topic,
                  "-C",
                  "1",
                  "-W",
                  "3")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Test
  void malformedAndUnsignedCheckpoints_foreignPublisher_clearRejectionOnReceipts()
      throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("broker")));
    SignedLog log = new SignedLog("truck-1", 14);
    log.append(3);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url()));
    // connects() counts a connect only after its subscriptions got their SUBACK
    Await.until(
        () -> ledger.service().connection().connects() >= 1,
        WAIT,
        ledger.service().connection()::lastError);
    var sub =
        closeLater(
            MosquittoClients.subscribe(
                Conn.to(broker), "haulproof/v1/fleet-a/truck-1/receipts", "%x"));
    sub.awaitSubscribed(broker, WAIT);
    String signed = log.checkpoint(FLEET).wire();
    String unsigned = signed.substring(0, signed.indexOf("\n\n") + 2);
    // when
    MosquittoClients.publish(
        Conn.to(broker),
        MosquittoClients.Message.of(
            "haulproof/v1/fleet-a/truck-1/checkpoints", new byte[] {(byte) 0xa1, 0x61, 0x61}));
    MosquittoClients.publish(
        Conn.to(broker),
        MosquittoClients.Message.of(
            "haulproof/v1/fleet-a/truck-1/checkpoints",
            new io.haulproof.uplink.wire.CheckpointMessage(unsigned, 0, List.of())
                .encode()
                .toByteArray()));
    // then
    List<String> lines = sub.awaitLines(2, WAIT);
    assertThat(lines).hasSize(2);
    java.security.PublicKey witness = ledger.ledger().witnessPublicKey();
    ReceiptMessage first =
        io.haulproof.uplink.wire.SignedReceipt.open(
                SignatureVerifier.of(witness), Bytes.fromHex(lines.get(0)))
            .receipt();
    ReceiptMessage second =
        io.haulproof.uplink.wire.SignedReceipt.open(
                SignatureVerifier.of(witness), Bytes.fromHex(lines.get(1)))
            .receipt();
    assertThat(first).isInstanceOf(ReceiptMessage.Rejected.class);
    assertThat(((ReceiptMessage.Rejected) first).reason())
        .startsWith("malformed checkpoint message");
    assertThat(second).isInstanceOf(ReceiptMessage.Rejected.class);
    assertThat(((ReceiptMessage.Rejected) second).reason()).startsWith("checkpoint not accepted");
    assertThat(ledger.ledger().device(new Topics(FLEET, "truck-1")).latest()).isEmpty();
  }

  @Test
  void tlsClientCertsAndAcl_deviceDelivers_spoofedEntriesNeverReachLedger() throws Exception {
    // given a TLS broker where each identity may write only below its own device id
    SignedLog log = new SignedLog("truck-1", 15);
    SignedLog other = new SignedLog("truck-2", 16);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).register(other));
    TestPki pki = ledger.pki();
    MosquittoProcess broker =
        closeLater(
            MosquittoProcess.builder(tmp.resolve("broker"))
                .tls(pki)
                .acl(
                    "user haulproof-ledger\ntopic read haulproof/v1/#\ntopic write haulproof/v1/+/+/receipts\n\n"
                        + "pattern write haulproof/v1/+/%u/#\npattern read haulproof/v1/+/%u/receipts")
                .start());
    TestPki.Issued ledgerCert = pki.client("haulproof-ledger");
    TestPki.Issued truck1 = pki.client("truck-1");
    ledger.start(broker.url(), s -> withTls(s, pki, ledgerCert));
    Receipts receipts = new Receipts();
    // truck-1's identity, but publishing truck-2's log on truck-2's topics
    MqttUplink spoof =
        uplink(
            other,
            broker.url(),
            ledger,
            new Receipts(),
            "spoof",
            s ->
                withTls(
                    MqttSettings.of(s.serverUri(), "truck-1-spoof")
                        .withTimeouts(s.connectTimeout(), s.publishTimeout())
                        .withBackoff(s.backoffMin(), s.backoffMax()),
                    pki,
                    truck1));
    MqttUplink up =
        uplink(log, broker.url(), ledger, receipts, "dev", s -> withTls(s, pki, truck1));
    other.append(20);
    log.append(50);
    log.checkpoint(FLEET);
    // when
    spoof.start();
    up.start();
    // then
    Await.until(
        () -> receipts.cosigned.stream().anyMatch(r -> r.size() == 50),
        WAIT,
        () -> ledger.ledger().counters().toString());
    Await.until(
        () -> ledger.ledger().device(new Topics(FLEET, "truck-1")).stored() == 50,
        WAIT,
        () -> ledger.ledger().counters().toString());
    assertLedgerHoldsExactly(ledger, log);
    Await.until(
        () -> spoof.outbox().failures() >= 3,
        WAIT,
        () -> "spoof failures " + spoof.outbox().failures());
    assertThat(spoof.outbox().cursor()).isZero();
    // truck-2 is registered (its certificate is known), but nothing spoofed reached its record
    DeviceLedger truck2 = ledger.ledger().device(new Topics(FLEET, "truck-2"));
    assertThat(truck2.stored()).isZero();
    assertThat(truck2.held()).isZero();
  }

  private static MqttSettings withTls(MqttSettings s, TestPki pki, TestPki.Issued cert) {
    try {
      String url = s.serverUri();
      return s.withTls(TlsContexts.fromPem(pki.caPem(), cert.certPem(), cert.keyPem()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
