package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.testing.InProcessLedger;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
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
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hole 6: receipts published on the truck's {@code receipts} topic by anyone but the
 * configured witness move nothing. Through a real Mosquitto, with {@code mosquitto_pub}: an
 * unsigned receipt claiming {@code entries_stored: 0}, a conflict signed by another key, and an old
 * genuine receipt replayed after a newer checkpoint; none rewinds the outbox (no entry is sent
 * twice) or raises a fork, and the refused ones are counted.
 */
class ForgedReceiptIT {
  private static final String FLEET = "fleet-a";
  private static final String RECEIPTS = "haulproof/v1/fleet-a/truck-1/receipts";
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

  @Test
  void receiptsTopic_unsignedForgedAndReplayedReceipts_outboxNotRewoundNoForkRefusalsCounted()
      throws Exception {
    // given: a truck whose 50 entries the witness holds and cosigned
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("broker")));
    SignedLog log = new SignedLog("truck-1", 13);
    InProcessLedger ledger =
        closeLater(new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url()));
    UplinkLedgerIT.Receipts receipts = new UplinkLedgerIT.Receipts();
    var genuine = closeLater(MosquittoClients.subscribe(Conn.to(broker), RECEIPTS, "%x"));
    MqttUplink up = uplink(log, broker.url(), ledger, receipts);
    CheckpointPublisher cp = up.checkpoints();
    log.append(50);
    up.start();
    log.checkpoint(FLEET);
    Await.until(() -> cp.acknowledgedSize() == 50, WAIT, () -> "acked " + cp.acknowledgedSize());
    Await.until(() -> up.outbox().cursor() == 50, WAIT, () -> "cursor " + up.outbox().cursor());
    String firstGenuine = genuine.awaitLines(1, WAIT).get(0);
    Await.until(() -> stored(ledger) == 50, WAIT, () -> "stored " + stored(ledger));
    long resentBefore = up.outbox().resent();

    // when: an unsigned "rejected" receipt saying the ledger holds nothing
    publish(broker, new ReceiptMessage.Rejected("resend everything", 0).encode());
    Await.until(() -> cp.rejectedReceiptCount() == 1, WAIT, "unsigned receipt refused");
    // and a conflict signed by a key that is not the witness's
    SoftwareDeviceKey mallory = SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
    publish(
        broker,
        SignedReceipt.seal(
            mallory, Bytes.wrap(new byte[] {1}), new ReceiptMessage.Conflict("fork at 10", "", 0)));
    Await.until(() -> cp.rejectedReceiptCount() == 2, WAIT, "forged conflict refused");
    settle(up, cp);

    // then: the idle truck sent nothing again and saw no fork
    assertThat(up.outbox().resent() - resentBefore).as("entries sent again").isZero();
    assertThat(up.outbox().cursor()).isEqualTo(50);
    assertThat(receipts.forks).isEmpty();

    // when: after 30 more entries are cosigned and stored, the first genuine receipt is replayed
    log.append(30);
    log.checkpoint(FLEET);
    Await.until(() -> cp.acknowledgedSize() == 80, WAIT, () -> "acked " + cp.acknowledgedSize());
    Await.until(() -> up.outbox().cursor() == 80, WAIT, () -> "cursor " + up.outbox().cursor());
    Await.until(() -> stored(ledger) == 80, WAIT, () -> "stored " + stored(ledger));
    settle(up, cp);
    long resentBeforeReplay = up.outbox().resent();
    long cosignedBefore = cp.cosignedCount();
    long duplicatesBefore = cp.duplicateCount();
    publish(broker, Bytes.fromHex(firstGenuine));
    Await.until(
        () ->
            cp.cosignedCount() > cosignedBefore
                || cp.duplicateCount() > duplicatesBefore
                || cp.rejectedReceiptCount() > 2,
        WAIT,
        "replayed receipt handled");
    settle(up, cp);

    // then: it moved nothing either
    assertThat(up.outbox().resent() - resentBeforeReplay).as("entries sent again").isZero();
    assertThat(up.outbox().cursor()).isEqualTo(80);
    assertThat(receipts.forks).isEmpty();
  }

  /**
   * Waits until the receipts handled so far have had their effect: the publisher's thread has
   * processed them (acknowledgedSize runs there), and the outbox has run what they asked of it (an
   * urgent no-op queued behind any rewind completes only after it).
   */
  private static void settle(MqttUplink up, CheckpointPublisher cp) throws Exception {
    cp.acknowledgedSize();
    up.outbox()
        .sendUrgent("probe", 0, () -> CompletableFuture.completedFuture(null))
        .get(60, TimeUnit.SECONDS);
  }

  private static long stored(InProcessLedger ledger) {
    return ledger.ledger().device(new Topics(FLEET, "truck-1")).stored();
  }

  private static void publish(MosquittoProcess broker, Bytes payload) {
    MosquittoClients.publish(
        Conn.to(broker), MosquittoClients.Message.of(RECEIPTS, payload.toByteArray()));
  }

  private MqttUplink uplink(
      SignedLog log, String url, InProcessLedger ledger, UplinkLedgerIT.Receipts receipts) {
    MqttSettings s =
        MqttSettings.of(url, log.deviceId())
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    MqttUplink.Config c =
        new MqttUplink.Config(
            new Topics(FLEET, log.deviceId()),
            s,
            tmp.resolve("dev"),
            Outbox.Settings.defaults(),
            new CheckpointPublisher.Settings(Duration.ofMillis(500), 100),
            ledger.ledger().witnessPublicKey(),
            "test",
            log.key().kid().toHex());
    return closeLater(new MqttUplink(c, log, log, receipts));
  }
}
