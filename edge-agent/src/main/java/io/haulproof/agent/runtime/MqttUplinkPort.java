package io.haulproof.agent.runtime;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttTransport;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's uplink over uplink's {@link MqttUplink} (connection supervisor, outbox cursor over
 * the log, checkpoint publisher, receipts). Every witness cosignature is appended to the log as a
 * {@code receipt} entry.
 */
public final class MqttUplinkPort implements UplinkPort {
  private static final Logger LOG = LoggerFactory.getLogger(MqttUplinkPort.class);

  private final Lightchain chain;
  private final MqttUplink uplink;
  private final AtomicLong receipts = new AtomicLong();
  private final AtomicLong forks = new AtomicLong();
  private volatile long witnessed;
  private volatile String witness;
  private volatile Instant lastReceipt;
  private volatile long backlogSince = -1;

  public MqttUplinkPort(Lightchain chain, MqttUplink.Config config, MqttTransport transport) {
    this.chain = chain;
    ChainEntrySource source = new ChainEntrySource(chain);
    this.uplink = new MqttUplink(config, source, source, new Receipts(), transport);
  }

  @Override
  public CompletionStage<Void> start() {
    uplink.start();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void keyRotated(Kid kid) {
    uplink.keyRotated(kid.toHex());
  }

  @Override
  public void poke() {
    // The outbox follows the log's commit listener; nothing to do.
  }

  /** Publishes the latest checkpoint now unless the witness already cosigned it. */
  public void publishCheckpointNow() {
    uplink.checkpoints().publishNow();
  }

  /** Cosignatures appended to the log as receipt entries so far. */
  public long receipts() {
    return receipts.get();
  }

  /** Conflicts the witness reported (fork or rollback of this log). */
  public long forks() {
    return forks.get();
  }

  public MqttUplink uplink() {
    return uplink;
  }

  @Override
  public Stats stats() {
    long depth = uplink.outbox().depth();
    long now = System.nanoTime();
    if (depth == 0) {
      backlogSince = -1;
    } else if (backlogSince < 0) {
      backlogSince = now;
    }
    long age = backlogSince < 0 ? 0 : (now - backlogSince) / 1_000_000;
    return new Stats(
        uplink.connection().isConnected(),
        depth,
        age,
        Math.max(0, uplink.connection().connects() - 1),
        witnessed,
        witness,
        lastReceipt,
        uplink.witnessConflicts(),
        uplink.lastWitnessConflict());
  }

  @Override
  public CompletionStage<Void> stop() {
    return CompletableFuture.runAsync(uplink::close);
  }

  /** Logs each cosignature as a receipt entry; a fork is an alarm, never silently accepted. */
  private final class Receipts implements CheckpointPublisher.ReceiptListener {
    @Override
    public void cosigned(ReceiptMessage.Cosigned r) {
      chain
          .append(r.toReceiptBody())
          .whenComplete(
              (a, e) -> {
                if (e != null) {
                  LOG.error("receipt for tree size {} not logged: {}", r.size(), e.toString());
                  return;
                }
                witness = r.witness();
                lastReceipt = Instant.now();
                witnessed = Math.max(witnessed, r.size());
                receipts.incrementAndGet();
              });
    }

    @Override
    public void fork(ReceiptMessage.Conflict c) {
      forks.incrementAndGet();
      LOG.error("the witness holds a checkpoint this log does not extend: {}", c);
    }

    @Override
    public void rejected(ReceiptMessage.Rejected r) {
      LOG.warn("the witness rejected our checkpoint: {}", r);
    }
  }
}
