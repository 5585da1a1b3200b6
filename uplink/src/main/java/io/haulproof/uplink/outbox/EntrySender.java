package io.haulproof.uplink.outbox;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one entry over a transport; the future completes when the far side acknowledged it (PUBACK
 * or CoAP 2.xx).
 */
@FunctionalInterface
public interface EntrySender {
  CompletableFuture<Void> send(OutboundEntry entry);
}
