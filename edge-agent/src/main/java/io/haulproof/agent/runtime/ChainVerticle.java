package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.health.HealthStatus;
import io.haulproof.agent.status.StatusBoard;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts blocks (N entries or T ms) and signs checkpoints on a timer. Both block on disk and signing,
 * so they run in ordered {@code executeBlocking}, never on the event loop. On stop: a last block
 * and a final checkpoint.
 */
final class ChainVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(ChainVerticle.class);

  private final EvidencePort evidence;
  private final UplinkPort uplink;
  private final ChainConfig config;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private final HealthRegistry health;
  private long blockTimer = -1;
  private long checkpointTimer = -1;
  private volatile String failure;

  ChainVerticle(
      EvidencePort evidence,
      UplinkPort uplink,
      ChainConfig config,
      AgentMetrics metrics,
      StatusBoard board,
      HealthRegistry health) {
    this.evidence = evidence;
    this.uplink = uplink;
    this.config = config;
    this.metrics = metrics;
    this.board = board;
    this.health = health;
  }

  @Override
  public void start(Promise<Void> started) {
    long blockPeriod = Math.max(10, Math.min(1000, config.blockMaxMs() / 4));
    blockTimer = vertx.setPeriodic(blockPeriod, id -> cut(false));
    checkpointTimer = vertx.setPeriodic(config.checkpointIntervalMs(), id -> checkpoint());
    metrics.gauge(
        "haulproof.tree.size", "entries in the evidence log", () -> evidence.stats().treeSize());
    metrics.gauge(
        "haulproof.quarantine.count",
        "quarantined log segments",
        () -> evidence.stats().quarantined());
    metrics.gauge(
        "haulproof.checkpoint.age.seconds",
        "seconds since the last signed checkpoint, -1 before the first",
        () -> {
          Instant last = evidence.stats().lastCheckpoint();
          return last == null ? -1 : Duration.between(last, Instant.now()).toSeconds();
        });
    // Evidence lost before this start (a truncated tail, a deleted segment, damage): its signed
    // loss entries are in the log; say it where an operator looks, too.
    java.util.List<String> losses = evidence.lossesAtOpen();
    losses.forEach(l -> LOG.error("EVIDENCE LOST: {}", l));
    board.losses(losses);
    health.register(
        "chain",
        () -> {
          if (failure != null) {
            return HealthStatus.down(failure);
          }
          ChainStats s = evidence.stats();
          if (!losses.isEmpty()) {
            return HealthStatus.degraded("evidence lost: " + String.join("; ", losses));
          }
          return s.quarantined() > 0
              ? HealthStatus.degraded(s.quarantined() + " quarantined segment(s)")
              : HealthStatus.up(s.blocks() + " blocks, " + s.checkpoints() + " checkpoints");
        });
    // Its timers are one of the agent's own loops: failing blocks or checkpoints stop the watchdog
    // keep-alives.
    health.registerLiveness(
        "loop-chain",
        () -> failure == null ? HealthStatus.up("cutting blocks") : HealthStatus.down(failure));
    publish();
    started.complete();
  }

  private Future<Integer> cut(boolean force) {
    return vertx
        .executeBlocking(() -> evidence.cutBlocks(force), true)
        .onSuccess(
            n -> {
              for (int i = 0; i < n; i++) {
                metrics.block();
              }
              publish();
            })
        .onFailure(this::failed);
  }

  private Future<OptionalLong> checkpoint() {
    return vertx
        .executeBlocking(
            () -> {
              evidence.cutBlocks(true);
              return evidence.checkpoint();
            },
            true)
        .onSuccess(
            size -> {
              if (size.isPresent()) {
                metrics.checkpoint();
                uplink.poke();
              }
              publish();
            })
        .onFailure(this::failed);
  }

  /**
   * Forces a block and a checkpoint now, e.g. at the end of a demo route; completes when both are
   * done.
   */
  Future<OptionalLong> checkpointNow() {
    return checkpoint();
  }

  private void failed(Throwable e) {
    failure = "blocks/checkpoints failed: " + e.getMessage();
    LOG.error("chain maintenance failed", e);
  }

  private void publish() {
    ChainStats s = evidence.stats();
    board.chain(s.treeSize(), s.blocks(), s.checkpoints(), s.lastCheckpoint());
  }

  @Override
  public void stop(Promise<Void> stopped) {
    vertx.cancelTimer(blockTimer);
    vertx.cancelTimer(checkpointTimer);
    checkpoint().<Void>mapEmpty().onComplete(stopped);
  }
}
