package io.haulproof.ledger;

import io.haulproof.uplink.Topics;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on MQTT: subscribes to {@code haulproof/v1/+/+/entries} and {@code …/checkpoints} with
 * a persistent session, stores each entry before the broker gets its PUBACK, makes stored entries
 * durable every 20 ms, and answers checkpoints on the device's {@code receipts} topic. Receipts
 * report only durable entries ({@code entries_stored}), so anything a ledger crash loses is resent
 * by the device.
 */
public final class LedgerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerService.class);
  public static final String ENTRIES = Topics.ROOT + "+/+/entries";
  public static final String CHECKPOINTS = Topics.ROOT + "+/+/checkpoints";

  private final Ledger ledger;
  private final ConnectionSupervisor mqtt;
  private final AtomicLong malformedTopics = new AtomicLong();
  private final java.util.concurrent.ScheduledExecutorService syncer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ledger-sync");
            t.setDaemon(true);
            return t;
          });

  public LedgerService(Ledger ledger, ConnectionSupervisor mqtt) {
    this.ledger = ledger;
    this.mqtt = mqtt;
  }

  public void start() {
    syncer.scheduleWithFixedDelay(
        () -> {
          try {
            ledger.syncAll();
          } catch (java.io.IOException | RuntimeException e) {
            LOG.error("ledger sync failed", e);
          }
        },
        20,
        20,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    mqtt.subscribe(ENTRIES, 1, this::onEntry);
    mqtt.subscribe(CHECKPOINTS, 1, this::onCheckpoint);
    mqtt.start();
  }

  public Ledger ledger() {
    return ledger;
  }

  public ConnectionSupervisor connection() {
    return mqtt;
  }

  private void onEntry(MqttMessage m) throws java.io.IOException {
    Topics.Parsed p;
    try {
      p = Topics.parse(m.topic());
    } catch (IllegalArgumentException e) {
      malformedTopics.incrementAndGet();
      LOG.warn("entry on bad topic dropped: {}", e.getMessage());
      return;
    }
    try {
      if (io.haulproof.uplink.outbox.OutboundEntry.LOST.equals(m.userProperty("kind"))) {
        ledger.acceptLost(p.topics(), m.userProperty("index"), m.payload());
      } else {
        ledger.acceptEntry(p.topics(), m.userProperty("index"), m.payload());
      }
    } catch (Ledger.RejectedEntryException e) {
      LOG.warn("entry rejected: {}", e.getMessage());
    }
  }

  private void onCheckpoint(MqttMessage m) throws java.io.IOException {
    Topics.Parsed p;
    try {
      p = Topics.parse(m.topic());
    } catch (IllegalArgumentException e) {
      malformedTopics.incrementAndGet();
      LOG.warn("checkpoint on bad topic dropped: {}", e.getMessage());
      return;
    }
    ReceiptMessage r = ledger.acceptCheckpoint(p.topics(), m.payload());
    if (!(r instanceof ReceiptMessage.Cosigned)) {
      LOG.warn("checkpoint of {} not cosigned: {}", p.topics().device(), r);
    }
    mqtt.publish(MqttMessage.of(p.topics().receipts(), ledger.sealReceipt(m.payload(), r)))
        .whenComplete(
            (v, ex) -> {
              if (ex != null) {
                LOG.warn(
                    "receipt to {} not delivered (the device republishes): {}",
                    p.topics().device(),
                    ex.toString());
              }
            });
  }

  @Override
  public void close() throws java.io.IOException {
    mqtt.close();
    // not shutdownNow(): interrupting a sync in FileChannel.force closes the ledger's channel
    syncer.shutdown();
    try {
      if (!syncer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
        LOG.warn("ledger sync still running after 30 s; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ledger.close();
  }
}
