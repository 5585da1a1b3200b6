package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.outbox.OutboundEntry;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on MQTT. Entries and checkpoints come through an MQTT 5 shared subscription ({@code
 * $share/GROUP/haulproof/v1/+/+/entries}, {@code …/checkpoints}) so that N instances split the
 * work; each message is committed to the database before the handler returns (so before the broker
 * gets its PUBACK). Enrollment responses ({@code …/enroll/res}) and CRLs ({@code
 * haulproof/v1/{fleet}/crl}, DER, retained) reach every instance (plain subscriptions): devices
 * join and are revoked without a restart. Receipts go to the device's {@code receipts} topic.
 */
public final class LedgerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerService.class);
  public static final String ENTRIES = Topics.ROOT + "+/+/entries";
  public static final String CHECKPOINTS = Topics.ROOT + "+/+/checkpoints";
  public static final String ENROLLMENTS = Topics.ROOT + "+/+/enroll/res";
  public static final String CRLS = Topics.ROOT + "+/crl";
  public static final String DEFAULT_GROUP = "haulproof-ledger";

  private final Ledger ledger;
  private final ConnectionSupervisor mqtt;
  private final String group;

  /**
   * Enrollments, entries and checkpoints are handled here, each device on one lane in arrival order
   * (its enrollment before its first entries) and many devices at once; a message is acknowledged
   * to the broker only once it is handled (its transaction committed). The MQTT client's thread
   * only hands messages over: at subscribe time the broker delivers every retained enrollment of
   * the city, and checking 1,000 chains on that thread once held up the SUBACK past the
   * supervisor's deadline (a reconnect livelock). Handing over never blocks (see {@link
   * DeviceLanes} for what bounds the queues and what happens past the bound).
   */
  private final DeviceLanes lanes;

  /**
   * The MQTT 5 Receive Maximum to announce in CONNECT ({@code new PahoTransport(RECEIVE_MAXIMUM)}):
   * a broker that keeps to it sends no more unacknowledged QoS 1 messages than this, so no more
   * wait on the lanes (the 1,000 the fleet benchmark gives Mosquitto as {@code
   * max_inflight_messages}).
   */
  public static final int RECEIVE_MAXIMUM = 1000;

  public LedgerService(Ledger ledger, ConnectionSupervisor mqtt) {
    this(ledger, mqtt, DEFAULT_GROUP);
  }

  /**
   * @param group the shared-subscription group all instances of one ledger use, or null for plain
   *     subscriptions
   */
  public LedgerService(Ledger ledger, ConnectionSupervisor mqtt, String group) {
    this.ledger = ledger;
    this.mqtt = mqtt;
    this.group = group;
    this.lanes =
        new DeviceLanes(
            defaultLanes(ledger), DeviceLanes.defaultBound(), () -> ledger.count("lane.shed"));
  }

  /**
   * {@code haulproof.ledger.lanes} if set; else 8 on PostgreSQL (its connection pool) and 2 on
   * SQLite (one writer; the second lane decodes and verifies while the first commits).
   */
  static int defaultLanes(Ledger ledger) {
    boolean pg = ledger.store().db().engine() == io.haulproof.ledger.store.Db.Engine.POSTGRESQL;
    return Math.max(1, Integer.getInteger("haulproof.ledger.lanes", pg ? 8 : 2));
  }

  private String shared(String filter) {
    return group == null ? filter : "$share/" + group + "/" + filter;
  }

  public void start() {
    mqtt.subscribeAsync(ENROLLMENTS, 1, m -> onLane(m, "enrollment", (x, p) -> join(x)));
    mqtt.subscribe(CRLS, 1, this::onCrl);
    mqtt.subscribeAsync(shared(ENTRIES), 1, this::onEntryMessage);
    mqtt.subscribeAsync(shared(CHECKPOINTS), 1, m -> onLane(m, "checkpoint", this::onCheckpoint));
    mqtt.start();
  }

  public Ledger ledger() {
    return ledger;
  }

  /** Messages waiting on the ingest lanes now (a gauge of {@link LedgerMetrics}). */
  public int laneQueueDepth() {
    return lanes.queued();
  }

  /**
   * Messages that may wait on the ingest lanes; past it they are shed (see {@link DeviceLanes}).
   */
  public int laneQueueBound() {
    return lanes.bound();
  }

  public ConnectionSupervisor connection() {
    return mqtt;
  }

  private Topics.Parsed parse(MqttMessage m, String what) {
    try {
      return Topics.parse(m.topic());
    } catch (IllegalArgumentException e) {
      ledger.count("topic.malformed");
      LedgerLog.warn("topic.malformed", null, null, what + ": " + e.getMessage());
      return null;
    }
  }

  private interface Handler {
    void handle(MqttMessage m, Topics.Parsed p) throws IOException;
  }

  /**
   * Runs {@code h} on the lane of the device the topic names; a malformed topic is counted here.
   */
  private CompletionStage<Void> onLane(MqttMessage m, String what, Handler h) {
    Topics.Parsed p = parse(m, what);
    if (p == null) {
      return CompletableFuture.completedFuture(null);
    }
    return lanes.submit(p.topics().key(), () -> h.handle(m, p));
  }

  /** An entry message and its parsed topic, waiting on its device's lane. */
  private record EntryMessage(MqttMessage m, Topics.Parsed p) {}

  /** One instance, so that a device's entries queued back to back form one batch. */
  private final DeviceLanes.BatchWork<EntryMessage> entryBatch = this::onEntries;

  /**
   * Entries of a device queued back to back are checked and kept in one transaction; a {@code lost}
   * marker runs on its own.
   */
  private CompletionStage<Void> onEntryMessage(MqttMessage m) {
    if (OutboundEntry.LOST.equals(m.userProperty("kind"))) {
      return onLane(m, "entry", this::onLost);
    }
    Topics.Parsed p = parse(m, "entry");
    if (p == null) {
      return CompletableFuture.completedFuture(null);
    }
    return lanes.submitBatch(p.topics().key(), new EntryMessage(m, p), entryBatch);
  }

  private void onEntries(List<EntryMessage> batch) throws IOException {
    Topics.Parsed p = batch.get(0).p();
    List<Ledger.Received> received = new ArrayList<>(batch.size());
    for (EntryMessage e : batch) {
      received.add(new Ledger.Received(e.m().userProperty("index"), e.m().payload()));
    }
    List<Ledger.Accepted> accepted = ledger.acceptEntries(p.topics(), received);
    for (int i = 0; i < batch.size(); i++) {
      String index = batch.get(i).m().userProperty("index");
      Ledger.Accepted a = accepted.get(i);
      if (a.refused().isPresent()) {
        LedgerLog.warn(
            "entry.rejected", p.topics().fleet(), p.topics().device(), a.refused().get());
      } else {
        logOutcome(p, index, a.outcome().orElseThrow());
      }
    }
  }

  private void onLost(MqttMessage m, Topics.Parsed p) throws IOException {
    try {
      logOutcome(
          p,
          m.userProperty("index"),
          ledger.acceptLost(p.topics(), m.userProperty("index"), m.payload()));
    } catch (Ledger.RejectedEntryException e) {
      LedgerLog.warn("entry.rejected", p.topics().fleet(), p.topics().device(), e.getMessage());
    }
  }

  private static void logOutcome(Topics.Parsed p, String index, DeviceLedger.Outcome o) {
    if (o == DeviceLedger.Outcome.CONFLICT) {
      LedgerLog.warn(
          "entry.conflict",
          p.topics().fleet(),
          p.topics().device(),
          "entry " + index + " differs from the one held (kept as evidence)");
    } else if (o == DeviceLedger.Outcome.DROPPED) {
      LOG.warn(
          "entry {} of {} not kept: bounds on unbound data reached (the device resends)",
          index,
          p.topics().device());
    }
  }

  private void onCheckpoint(MqttMessage m, Topics.Parsed p) throws IOException {
    ReceiptMessage r = ledger.acceptCheckpoint(p.topics(), m.payload());
    String f = p.topics().fleet();
    String d = p.topics().device();
    if (r instanceof ReceiptMessage.Cosigned c) {
      LedgerLog.info("checkpoint.cosigned", f, d, "size " + c.size());
    } else if (r instanceof ReceiptMessage.Conflict c) {
      LedgerLog.warn("checkpoint.conflict", f, d, c.reason());
    } else if (r instanceof ReceiptMessage.Rejected c) {
      LedgerLog.warn("checkpoint.rejected", f, d, c.reason());
    }
    if (!Names.valid(p.topics().fleet()) || !Names.valid(p.topics().device())) {
      return; // never publish under a topic built from names the ledger refuses
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

  private void join(MqttMessage m) {
    try {
      Enrollments.Response r = Enrollments.decode(m.payload());
      if (r.crl().isPresent()) {
        ledger.registry().applyCrl(r.crl().get());
      }
      DeviceRegistry.Member member = ledger.registry().join(r.chain());
      ledger.count("join.enrollment");
      LOG.debug("enrolled device joined: {}/{}", member.fleet(), member.device());
    } catch (GeneralSecurityException | RuntimeException e) {
      ledger.count("join.refused");
      LedgerLog.warn(
          "join.refused", null, null, "enrollment on " + m.topic() + ": " + e.getMessage());
    }
  }

  private void onCrl(MqttMessage m) {
    try {
      int n = ledger.registry().applyCrl(Bytes.wrap(m.payload().toByteArray()));
      ledger.count("crl.applied");
      LedgerLog.info("crl.applied", null, null, n + " device(s) newly revoked");
    } catch (GeneralSecurityException | RuntimeException e) {
      ledger.count("crl.refused");
      LedgerLog.warn("crl.refused", null, null, e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    mqtt.close();
    lanes.close();
    ledger.close();
  }
}
