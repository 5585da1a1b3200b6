package io.haulproof.uplink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.MqttTransport;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.outbox.CursorFile;
import io.haulproof.uplink.outbox.EntrySource;
import io.haulproof.uplink.outbox.OutboundEntry;
import io.haulproof.uplink.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The device side of the MQTT uplink, wired: a {@link ConnectionSupervisor} (retained birth and
 * last will on {@code status}), an {@link Outbox} publishing log entries to {@code entries}, a
 * {@link CheckpointPublisher} on {@code checkpoints}, and the {@code receipts} subscription
 * (contract: DESIGN.md "Uplink").
 *
 * <pre>{@code
 * MqttUplink up = new MqttUplink(config, entrySource, checkpointSource, receiptListener);
 * up.start();            // connects in the background, retries forever
 * ...
 * up.close();            // flushes the cursor
 * }</pre>
 */
public final class MqttUplink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the uplink needs to know.
   *
   * @param stateDir where the outbox cursor file lives
   * @param witnessKey the pinned witness public key
   * @param version the software version for the birth message
   * @param kid the device key id (hex) for the birth message
   */
  public record Config(
      Topics topics,
      MqttSettings mqtt,
      Path stateDir,
      Outbox.Settings outbox,
      CheckpointPublisher.Settings checkpoints,
      PublicKey witnessKey,
      String version,
      String kid) {
    public Config {
      Objects.requireNonNull(topics, "topics");
      Objects.requireNonNull(mqtt, "mqtt");
      Objects.requireNonNull(stateDir, "stateDir");
      Objects.requireNonNull(witnessKey, "witnessKey");
    }
  }

  private final Config config;
  private final EntrySource entries;
  private final ConnectionSupervisor mqtt;
  private final Outbox outbox;
  private final CheckpointPublisher checkpoints;
  private volatile String lastReceipt = "";
  private volatile java.time.Instant lastReceiptAt;
  private volatile String witness = "";
  private volatile String kid;
  private volatile String witnessConflict;
  private final java.util.concurrent.atomic.AtomicLong witnessConflicts =
      new java.util.concurrent.atomic.AtomicLong();

  public MqttUplink(
      Config config,
      EntrySource entries,
      CheckpointSource checkpointSource,
      CheckpointPublisher.ReceiptListener listener) {
    this(config, entries, checkpointSource, listener, new PahoTransport());
  }

  public MqttUplink(
      Config config,
      EntrySource entries,
      CheckpointSource checkpointSource,
      CheckpointPublisher.ReceiptListener listener,
      MqttTransport transport) {
    this.config = config;
    this.entries = entries;
    this.kid = config.kid();
    Topics t = config.topics();
    MqttSettings s =
        config
            .mqtt()
            .withWill(MqttMessage.of(t.status(), utf8("{\"state\":\"offline\"}")).asRetained());
    this.mqtt = new ConnectionSupervisor(transport, s);
    this.outbox =
        new Outbox(
            entries,
            this::publishEntry,
            new CursorFile(config.stateDir().resolve("outbox.cursor")),
            config.outbox());
    CheckpointPublisher.ReceiptListener wrapped =
        new CheckpointPublisher.ReceiptListener() {
          @Override
          public void cosigned(io.haulproof.uplink.wire.ReceiptMessage.Cosigned r) {
            lastReceipt = r.size() + "@" + r.timestamp();
            lastReceiptAt = java.time.Instant.now();
            witness = r.witness();
            listener.cosigned(r);
          }

          @Override
          public void fork(io.haulproof.uplink.wire.ReceiptMessage.Conflict c) {
            witnessConflict = c.reason();
            witnessConflicts.incrementAndGet();
            listener.fork(c);
            publishStatus();
          }

          @Override
          public void rejected(io.haulproof.uplink.wire.ReceiptMessage.Rejected r) {
            listener.rejected(r);
          }
        };
    this.checkpoints =
        new CheckpointPublisher(
            checkpointSource,
            entries::size,
            outbox::cursor,
            payload -> sendUrgent("checkpoint", MqttMessage.of(t.checkpoints(), payload)),
            config.witnessKey(),
            wrapped,
            outbox::rewindTo,
            config.checkpoints());
    mqtt.birth(this::birth);
    mqtt.subscribe(t.receipts(), 1, m -> checkpoints.onReceipt(m.payload()));
    mqtt.onConnected(
        () -> {
          outbox.resume();
          checkpoints.publishNow();
        });
  }

  /** Connects in the background and starts sending from the cursor. */
  public void start() {
    outbox.start();
    mqtt.start();
    checkpoints.start();
  }

  public Outbox outbox() {
    return outbox;
  }

  public ConnectionSupervisor connection() {
    return mqtt;
  }

  public CheckpointPublisher checkpoints() {
    return checkpoints;
  }

  /** Whether the broker connection is up now. */
  public boolean isConnected() {
    return mqtt.isConnected();
  }

  /** Entries in the log the broker has not acknowledged yet. */
  public long outboxDepth() {
    return outbox.depth();
  }

  /** Successful connects so far (the first one included). */
  public long connects() {
    return mqtt.connects();
  }

  /** The largest tree size the witness cosigned, 0 for none. */
  public long witnessedSize() {
    return checkpoints.acknowledgedSize();
  }

  /** The name of the witness that sent the last cosignature, empty before the first. */
  public String witness() {
    return witness;
  }

  /** When the last verified cosignature arrived, or null. */
  public java.time.Instant lastReceiptAt() {
    return lastReceiptAt;
  }

  /**
   * Subscribes to management requests ({@code mgmt/req}); answer with {@link #sendUrgent} of {@code
   * request.reply(payload)} so replies go ahead of the backlog.
   */
  public void onManagementRequest(ConnectionSupervisor.MessageHandler handler) {
    mqtt.subscribe(config.topics().mgmtRequests(), 1, handler);
  }

  /** Sends a message (status update, management reply) ahead of the backlog. */
  public CompletableFuture<Void> sendUrgent(String what, MqttMessage m) {
    return outbox.sendUrgent(
        what, m.payload().length() + m.topic().length(), () -> mqtt.publish(m));
  }

  /** Re-publishes the retained status message now (e.g. after a receipt). */
  public CompletableFuture<Void> publishStatus() {
    return sendUrgent("status", birth());
  }

  /**
   * Reports {@code kidHex} as the device's key from now on (after a key rotation: the agent calls
   * this once the switch succeeded) and re-publishes the status message.
   */
  public CompletableFuture<Void> keyRotated(String kidHex) {
    kid = Objects.requireNonNull(kidHex, "kidHex");
    return publishStatus();
  }

  /** Conflicts (fork, rollback) the witness reported for this log since start. */
  public long witnessConflicts() {
    return witnessConflicts.get();
  }

  /** The witness's reason for the last conflict, or null. */
  public String lastWitnessConflict() {
    return witnessConflict;
  }

  /** The key id the status message reports. */
  public String kid() {
    return kid;
  }

  private CompletableFuture<Void> publishEntry(OutboundEntry e) {
    return mqtt.publish(
        new MqttMessage(
            config.topics().entries(),
            e.cose(),
            1,
            false,
            e.isLost()
                ? List.of(
                    new MqttMessage.UserProperty("index", Long.toString(e.index())),
                    new MqttMessage.UserProperty("kind", e.kind()))
                : List.of(
                    new MqttMessage.UserProperty("index", Long.toString(e.index())),
                    new MqttMessage.UserProperty("seq", Long.toString(e.seq())),
                    new MqttMessage.UserProperty("kind", e.kind())),
            null,
            null));
  }

  /** The retained status (birth) message as it would be sent now. */
  MqttMessage birth() {
    ObjectNode n = JSON.createObjectNode();
    n.put("state", "online");
    n.put("version", config.version());
    n.put("kid", kid);
    n.put("tree_size", entries.size());
    n.put("outbox_depth", outbox.depth());
    n.put("last_receipt", lastReceipt);
    if (witnessConflict != null) {
      n.put("witness_conflicts", witnessConflicts.get());
      n.put("witness_conflict", witnessConflict);
    }
    try {
      return MqttMessage.of(config.topics().status(), Bytes.wrap(JSON.writeValueAsBytes(n)))
          .asRetained();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Bytes utf8(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    checkpoints.close();
    outbox.close();
    mqtt.close();
  }

  /** For tests and the status page: the birth message as it would be sent now. */
  Supplier<MqttMessage> birthSupplier() {
    return this::birth;
  }
}
