package io.haulproof.agent.runtime;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both uplink ports (MQTT, CoAP) do with the witness's answers: every cosignature is appended
 * to the log as a {@code receipt} entry; a conflict (fork, rollback) is counted and kept for
 * health, metrics and the status page, never silently accepted.
 */
final class ReceiptRecorder implements CheckpointPublisher.ReceiptListener {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptRecorder.class);

  private final Lightchain chain;
  private final AtomicLong receipts = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private volatile long witnessed;
  private volatile String witness;
  private volatile Instant lastReceipt;
  private volatile String lastConflict;

  ReceiptRecorder(Lightchain chain) {
    this.chain = chain;
  }

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
    lastConflict = c.reason();
    conflicts.incrementAndGet();
    LOG.error("the witness holds a checkpoint this log does not extend: {}", c);
  }

  @Override
  public void rejected(ReceiptMessage.Rejected r) {
    LOG.warn("the witness rejected our checkpoint: {}", r);
  }

  /** The uplink figures with this recorder's receipt and conflict fields. */
  UplinkPort.Stats stats(boolean connected, long depth, long oldestAgeMs, long reconnects) {
    return new UplinkPort.Stats(
        connected,
        depth,
        oldestAgeMs,
        reconnects,
        witnessed,
        witness,
        lastReceipt,
        conflicts.get(),
        lastConflict);
  }

  long receipts() {
    return receipts.get();
  }

  long conflicts() {
    return conflicts.get();
  }
}
