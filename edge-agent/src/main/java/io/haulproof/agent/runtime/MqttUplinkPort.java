package io.haulproof.agent.runtime;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.mqtt.MqttTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The runtime's uplink over uplink's {@link MqttUplink} (connection supervisor, outbox cursor over
 * the log, checkpoint publisher, receipts). Every witness cosignature is appended to the log as a
 * {@code receipt} entry.
 */
public final class MqttUplinkPort implements UplinkPort {
  private final MqttUplink uplink;
  private final ReceiptRecorder receipts;
  private final BacklogClock backlog = new BacklogClock();

  public MqttUplinkPort(Lightchain chain, MqttUplink.Config config, MqttTransport transport) {
    ChainEntrySource source = new ChainEntrySource(chain);
    this.receipts = new ReceiptRecorder(chain);
    this.uplink = new MqttUplink(config, source, source, receipts, transport);
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
    return receipts.receipts();
  }

  /** Conflicts the witness reported (fork or rollback of this log). */
  public long forks() {
    return receipts.conflicts();
  }

  public MqttUplink uplink() {
    return uplink;
  }

  @Override
  public Stats stats() {
    long depth = uplink.outbox().depth();
    long age = backlog.ageMs(depth);
    return receipts.stats(
        uplink.connection().isConnected(),
        depth,
        age,
        Math.max(0, uplink.connection().connects() - 1));
  }

  @Override
  public CompletionStage<Void> stop() {
    return CompletableFuture.runAsync(uplink::close);
  }
}
