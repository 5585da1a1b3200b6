package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.health.HealthStatus;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.agent.status.StatusBoard;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link SensorSource}'s blocking read loop on its own named worker executor and puts its readings on the
 * event bus. When the loop fails (a cable pulled, say), the sensor is reported degraded and reopened after a pause.
 */
final class SensorVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(SensorVerticle.class);
  private static final long RETRY_MS = 2_000;

  private final SensorSource source;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private final HealthRegistry health;
  private WorkerExecutor executor;
  private Future<Void> loop = Future.succeededFuture();
  private volatile boolean stopping;
  private volatile String problem;

  SensorVerticle(SensorSource source, AgentMetrics metrics, StatusBoard board, HealthRegistry health) {
    this.source = source;
    this.metrics = metrics;
    this.board = board;
    this.health = health;
  }

  @Override
  public void start(Promise<Void> started) {
    executor = vertx.createSharedWorkerExecutor("sensor-" + source.name(), 1, 3650, TimeUnit.DAYS);
    health.register(
        "sensor-" + source.name(),
        () -> problem == null ? HealthStatus.up("reading") : HealthStatus.degraded(problem));
    executor
        .<Void>executeBlocking(
            () -> {
              source.open();
              return null;
            })
        .onSuccess(
            x -> {
              runLoop();
              started.complete();
            })
        .onFailure(
            e ->
                started.fail(
                    new IllegalStateException("sensor " + source.name() + " cannot open: " + e.getMessage(), e)));
  }

  private void runLoop() {
    Sink sink = new Sink();
    loop =
        executor.executeBlocking(
            () -> {
              source.run(sink);
              return null;
            },
            false);
    loop.onComplete(
        r -> {
          if (stopping) {
            return;
          }
          problem =
              r.succeeded() ? "input ended" : "read failed: " + r.cause().getMessage() + "; reopening";
          LOG.warn("sensor {}: {}", source.name(), problem);
          vertx.setTimer(RETRY_MS, id -> reopen());
        });
  }

  private void reopen() {
    if (stopping) {
      return;
    }
    executor
        .<Void>executeBlocking(
            () -> {
              source.open();
              return null;
            })
        .onSuccess(
            x -> {
              problem = null;
              runLoop();
            })
        .onFailure(
            e -> {
              problem = "cannot reopen: " + e.getMessage();
              vertx.setTimer(RETRY_MS, id -> reopen());
            });
  }

  @Override
  public void stop(Promise<Void> stopped) {
    stopping = true;
    source.close();
    loop.onComplete(
        x -> {
          executor.close();
          stopped.complete();
        });
  }

  /** Hands readings to the event bus; called on the sensor's worker thread. */
  private final class Sink implements SensorSink {
    @Override
    public void tag(TagRead tag) {
      vertx.eventBus().send(Addresses.TAG, tag);
    }

    @Override
    public void weighing(Weighing weighing) {
      vertx.eventBus().send(Addresses.WEIGHING, weighing);
    }

    @Override
    public void fix(GnssFix fix) {
      vertx.eventBus().send(Addresses.FIX, fix);
    }

    @Override
    public void accepted(String driver) {
      metrics.reading(driver);
      problem = null;
    }

    @Override
    public void rejected(String driver) {
      metrics.reject(driver);
    }

    @Override
    public void live(String sensor, Map<String, Object> value) {
      board.sensor(sensor, value);
    }
  }
}
