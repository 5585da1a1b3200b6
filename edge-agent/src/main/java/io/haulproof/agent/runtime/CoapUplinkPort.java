package io.haulproof.agent.runtime;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.coap.CoapSender;
import io.haulproof.uplink.coap.CoapUplink;
import io.haulproof.uplink.outbox.Outbox;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The runtime's uplink for a battery-powered smart bin: entries and checkpoints are POSTed to the
 * ledger over CoAP/DTLS (uplink's {@link CoapUplink}: outbox cursor over the log, checkpoint
 * publisher, receipts in the CoAP response). Receipts and conflicts are recorded as for MQTT.
 *
 * <p>CoAP has no session: the port counts as connected while nothing waits in the outbox.
 */
public final class CoapUplinkPort implements UplinkPort {
  private final CoapUplink uplink;
  private final ReceiptRecorder receipts;
  private final BacklogClock backlog = new BacklogClock();

  public CoapUplinkPort(
      Lightchain chain,
      CoapSender sender,
      Path stateDir,
      PublicKey witnessKey,
      CheckpointPublisher.Settings checkpoints) {
    ChainEntrySource source = new ChainEntrySource(chain);
    this.receipts = new ReceiptRecorder(chain);
    this.uplink =
        new CoapUplink(
            sender,
            stateDir,
            source,
            source,
            witnessKey,
            receipts,
            Outbox.Settings.defaults(),
            checkpoints);
  }

  @Override
  public CompletionStage<Void> start() {
    uplink.start();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void poke() {
    // The outbox follows the log's commit listener; nothing to do.
  }

  /** Cosignatures appended to the log as receipt entries so far. */
  public long receipts() {
    return receipts.receipts();
  }

  @Override
  public Stats stats() {
    long depth = uplink.outbox().depth();
    return receipts.stats(depth == 0, depth, backlog.ageMs(depth), 0);
  }

  @Override
  public CompletionStage<Void> stop() {
    return CompletableFuture.runAsync(uplink::close);
  }
}
