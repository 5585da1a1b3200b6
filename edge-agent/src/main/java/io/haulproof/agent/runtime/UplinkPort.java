package io.haulproof.agent.runtime;

import io.haulproof.lightchain.crypto.Kid;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Delivery of entries and checkpoints to the witness (MQTT through uplink's supervisor, or the
 * demo's in-process witness). Implementations never block the caller: connecting and waiting for
 * acknowledgements happen on their own threads.
 */
public interface UplinkPort {
  /**
   * Starts delivering from the outbox cursor; completes when the uplink runs (it may still be
   * offline).
   */
  CompletionStage<Void> start();

  /** New entries or a new checkpoint are in the log. */
  void poke();

  /** Current figures; cheap and thread-safe. */
  Stats stats();

  /**
   * The device now signs with another key: the status message must name it. Ports without a status
   * message ignore it.
   */
  default void keyRotated(Kid kid) {}

  /** Stops after a last delivery attempt; completes when disconnected. */
  CompletionStage<Void> stop();

  /**
   * Uplink figures.
   *
   * @param connected whether the transport is connected
   * @param outboxDepth entries not yet acknowledged by the ledger
   * @param oldestAgeMs age of the oldest unacknowledged entry
   * @param reconnects reconnects so far
   * @param witnessed the largest tree size the witness has cosigned, 0 for none
   * @param witness name of the witness that cosigned it
   * @param lastReceipt when the last receipt arrived, or null
   * @param witnessConflicts conflicts the witness reported (fork or rollback of this log) so far
   * @param lastWitnessConflict the witness's reason for the last one, or null
   */
  record Stats(
      boolean connected,
      long outboxDepth,
      long oldestAgeMs,
      long reconnects,
      long witnessed,
      String witness,
      Instant lastReceipt,
      long witnessConflicts,
      String lastWitnessConflict) {
    /** Figures without any witness conflict. */
    public Stats(
        boolean connected,
        long outboxDepth,
        long oldestAgeMs,
        long reconnects,
        long witnessed,
        String witness,
        Instant lastReceipt) {
      this(
          connected,
          outboxDepth,
          oldestAgeMs,
          reconnects,
          witnessed,
          witness,
          lastReceipt,
          0,
          null);
    }
  }
}
