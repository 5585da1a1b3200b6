package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.status.StatusBoard;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single ordered writer of the evidence log. Deployed as a worker verticle, so messages are
 * handled one at a time in arrival order and signing never runs on an event loop; each message is
 * answered once its entry is durable.
 */
final class LogWriterVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriterVerticle.class);
  private static final long STORAGE_CHECK_MS = 1_000;

  private final EvidencePort evidence;
  private final UplinkPort uplink;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private final HealthRegistry health;
  private final StorageWatch storage;
  private long storageTimer = -1;
  private MessageConsumer<CollectionEvent> consumer;
  private volatile String failure;

  LogWriterVerticle(
      EvidencePort evidence,
      UplinkPort uplink,
      AgentMetrics metrics,
      StatusBoard board,
      HealthRegistry health,
      StorageWatch storage) {
    this.evidence = evidence;
    this.storage = storage;
    this.uplink = uplink;
    this.metrics = metrics;
    this.board = board;
    this.health = health;
  }

  @Override
  public void start(Promise<Void> started) {
    health.register(
        "log",
        () ->
            failure == null
                ? io.haulproof.agent.health.HealthStatus.up(
                    "tree size " + evidence.stats().treeSize())
                : io.haulproof.agent.health.HealthStatus.down(failure));
    if (storage != null) {
      // A worker verticle: the blocking check never runs on an event loop.
      storageTimer = vertx.setPeriodic(STORAGE_CHECK_MS, id -> storage.refresh());
    }
    consumer = vertx.eventBus().consumer(Addresses.APPEND, this::append);
    consumer.completion().onComplete(started);
  }

  private void append(Message<CollectionEvent> msg) {
    CollectionEvent event = msg.body();
    if (storage != null && !storage.refresh()) {
      // Refused before any byte is written: what the log holds stays intact, and appends resume
      // by themselves once the disk has room or is writable again.
      metrics.liftRefused();
      LOG.warn(
          "lift {} ({}) refused: evidence log not writable: {}",
          event.eventId(),
          event.outcome(),
          storage.reason());
      msg.fail(507, "refused: evidence log not writable: " + storage.reason());
      return;
    }
    Future.fromCompletionStage(evidence.append(event), context)
        .onSuccess(
            a -> {
              metrics.entry("collection");
              metrics.lift(event.outcome().name());
              board.lift(event, a.index(), a.seq());
              uplink.poke();
              msg.reply(a);
            })
        .onFailure(
            e -> {
              // Never acknowledged, so nothing acknowledged is lost; the agent is not fit to
              // continue.
              failure = "append failed: " + e.getMessage();
              LOG.error("evidence log append failed for event {}", event.eventId(), e);
              health.markFatal(failure);
              msg.fail(500, failure);
            });
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (storageTimer >= 0) {
      vertx.cancelTimer(storageTimer);
    }
    if (consumer == null) {
      stopped.complete();
      return;
    }
    consumer.unregister().onComplete(stopped);
  }
}
