package io.haulproof.uplink.coap;

import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.outbox.CursorFile;
import io.haulproof.uplink.outbox.EntrySource;
import io.haulproof.uplink.outbox.Outbox;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.CompletableFuture;

/**
 * The device side of the CoAP uplink: an {@link Outbox} over the log posting entries, and a {@link
 * CheckpointPublisher} posting checkpoints whose receipts come back in the CoAP response.
 */
public final class CoapUplink implements AutoCloseable {
  private final CoapSender sender;
  private final Outbox outbox;
  private final CheckpointPublisher checkpoints;

  public CoapUplink(
      CoapSender sender,
      Path stateDir,
      EntrySource entries,
      CheckpointSource checkpointSource,
      PublicKey witnessKey,
      CheckpointPublisher.ReceiptListener listener,
      Outbox.Settings outboxSettings,
      CheckpointPublisher.Settings checkpointSettings) {
    this.sender = sender;
    this.outbox =
        new Outbox(
            entries, sender, new CursorFile(stateDir.resolve("outbox.cursor")), outboxSettings);
    CheckpointPublisher[] self = new CheckpointPublisher[1];
    this.checkpoints =
        new CheckpointPublisher(
            checkpointSource,
            entries::size,
            outbox::cursor,
            payload ->
                outbox.sendUrgent(
                    "checkpoint",
                    payload.length(),
                    () ->
                        sender
                            .sendCheckpoint(payload)
                            .thenAccept(receipt -> self[0].onReceipt(receipt))),
            witnessKey,
            listener,
            outbox::rewindTo,
            checkpointSettings);
    self[0] = checkpoints;
  }

  public void start() {
    outbox.start();
    checkpoints.start();
  }

  public Outbox outbox() {
    return outbox;
  }

  public CheckpointPublisher checkpoints() {
    return checkpoints;
  }

  @Override
  public void close() {
    checkpoints.close();
    outbox.close();
    sender.close();
  }

  /** For symmetry with the MQTT uplink: nothing to wait for, CoAP has no session. */
  public CompletableFuture<Void> ready() {
    return CompletableFuture.completedFuture(null);
  }
}
