package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.health.HealthStatus;
import io.haulproof.agent.status.StatusBoard;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Runs the uplink: starts it, mirrors its figures into the status board and metrics, stops it last
 * (after the final checkpoint) so that checkpoint still goes out.
 */
final class UplinkVerticle extends AbstractVerticle {
  private final UplinkPort uplink;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private final HealthRegistry health;
  private long timer = -1;
  private long seenReconnects;
  private long seenWitnessed;

  UplinkVerticle(
      UplinkPort uplink, AgentMetrics metrics, StatusBoard board, HealthRegistry health) {
    this.uplink = uplink;
    this.metrics = metrics;
    this.board = board;
    this.health = health;
  }

  @Override
  public void start(Promise<Void> started) {
    metrics.gauge(
        "haulproof.outbox.depth",
        "entries not yet acknowledged by the ledger",
        () -> uplink.stats().outboxDepth());
    metrics.gauge(
        "haulproof.outbox.age.seconds",
        "age of the oldest unacknowledged entry",
        () -> uplink.stats().oldestAgeMs() / 1000.0);
    metrics.gauge(
        "haulproof.witnessed.tree.size",
        "largest tree size cosigned by the witness",
        () -> uplink.stats().witnessed());
    metrics.gauge(
        "haulproof.witness.conflicts",
        "conflicts (fork, rollback) the witness reported for this log",
        () -> uplink.stats().witnessConflicts());
    // A fork or rollback is reported everywhere but does not make the agent unready: restarting
    // cannot mend it, and lifts must keep being recorded as evidence for the investigation.
    health.register(
        "witness",
        () -> {
          UplinkPort.Stats s = uplink.stats();
          return s.witnessConflicts() == 0
              ? HealthStatus.up("no conflict")
              : HealthStatus.degraded(
                  "witness conflict (" + s.witnessConflicts() + "): " + s.lastWitnessConflict());
        });
    health.register(
        "uplink",
        () -> {
          UplinkPort.Stats s = uplink.stats();
          String text = "outbox " + s.outboxDepth() + ", oldest " + s.oldestAgeMs() / 1000 + " s";
          // Offline for hours is normal on a truck: reported, never a reason to restart.
          return s.connected()
              ? HealthStatus.up("connected, " + text)
              : HealthStatus.degraded("offline, " + text);
        });
    Future.fromCompletionStage(uplink.start(), context)
        .onSuccess(
            x -> {
              timer = vertx.setPeriodic(500, id -> mirror());
              mirror();
              started.complete();
            })
        .onFailure(started::fail);
  }

  private void mirror() {
    UplinkPort.Stats s = uplink.stats();
    while (seenReconnects < s.reconnects()) {
      metrics.reconnect();
      seenReconnects++;
    }
    if (s.witnessed() > seenWitnessed) {
      seenWitnessed = s.witnessed();
      metrics.receipt();
      board.receipt(s.witnessed(), s.witness(), s.lastReceipt());
    }
    board.outbox(s.outboxDepth(), s.oldestAgeMs(), s.connected());
    if (s.witnessConflicts() > 0) {
      board.witnessConflict(s.witnessConflicts(), s.lastWitnessConflict());
    }
  }

  @Override
  public void stop(Promise<Void> stopped) {
    vertx.cancelTimer(timer);
    Future.fromCompletionStage(uplink.stop(), context)
        .onComplete(
            x -> {
              mirror();
              stopped.complete();
            });
  }
}
