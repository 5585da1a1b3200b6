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
 * Runs one {@link SensorSource}'s blocking read loop on its own named worker executor and puts its
 * readings on the event bus. Its deployment never fails because the sensor is absent: opening runs
 * in the background, and when {@code open()} throws (gpsd unreachable, a port busy or missing) or
 * the loop fails (a cable pulled), it is retried with backoff (1 s doubling to 5 s).
 *
 * <p>Health: {@code sensor-NAME} (readiness) is down, naming the sensor's port and why, while the
 * loop has failed or the transport is not delivering (port missing, reconnecting); the lift
 * assembler keeps recording lifts with their quality flags meanwhile. {@code loop-sensor-NAME}
 * (liveness) fails when the transport's reader loop is dead or stuck. Metrics: {@code
 * haulproof.sensor.failures{sensor}} counts failed {@code open()} calls and the transport's
 * failures, {@code haulproof.sensor.up{sensor}} is 1 while it delivers. Each change of state is
 * logged once.
 */
final class SensorVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(SensorVerticle.class);
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long MAX_RETRY_MS = 5_000;
  private static final long WATCH_MS = 500;

  private final SensorSource source;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private final HealthRegistry health;
  private WorkerExecutor executor;
  private Future<Void> loop = Future.succeededFuture();
  private volatile boolean stopping;
  private volatile String problem;
  private long watchTimer = -1;
  private long countedFailures;
  private long retryMs = FIRST_RETRY_MS;
  private String lastLogged = "";

  SensorVerticle(
      SensorSource source, AgentMetrics metrics, StatusBoard board, HealthRegistry health) {
    this.source = source;
    this.metrics = metrics;
    this.board = board;
    this.health = health;
  }

  @Override
  public void start(Promise<Void> started) {
    executor = vertx.createSharedWorkerExecutor("sensor-" + source.name(), 1, 3650, TimeUnit.DAYS);
    health.register("sensor-" + source.name(), this::readiness);
    health.registerLiveness("loop-sensor-" + source.name(), this::liveness);
    metrics.sensorUp(source.name(), () -> readiness().ok() ? 1 : 0);
    watchTimer = vertx.setPeriodic(WATCH_MS, id -> watch());
    // Startup waits for the first attempt but never fails on it: an absent sensor is retried with
    // backoff and shows up in readiness and metrics instead.
    open().onComplete(x -> started.complete());
  }

  private HealthStatus readiness() {
    String p = problem;
    if (p != null) {
      return HealthStatus.down(p);
    }
    LinkStatus l = source.link();
    return l.state() == LinkStatus.State.UP
        ? HealthStatus.up("reading, " + l.detail())
        : HealthStatus.down(l.detail());
  }

  private HealthStatus liveness() {
    LinkStatus l = source.link();
    return l.state() == LinkStatus.State.DEAD
        ? HealthStatus.down(l.detail())
        : HealthStatus.up("reader loop running");
  }

  /** Counts new transport failures and logs a change of the sensor's state once. */
  private void watch() {
    LinkStatus l = source.link();
    if (l.failures() > countedFailures) {
      metrics.sensorFailures(source.name(), l.failures() - countedFailures);
      countedFailures = l.failures();
    }
    HealthStatus r = readiness();
    String state = r.ok() ? "ok" : r.reason();
    if (!state.equals(lastLogged)) {
      if (r.ok()) {
        LOG.info("sensor {} delivering: {}", source.name(), r.reason());
      } else {
        LOG.warn("sensor {} not delivering: {}", source.name(), r.reason());
      }
      lastLogged = state;
    }
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
              r.succeeded()
                  ? "input ended"
                  : "read failed: " + r.cause().getMessage() + "; reopening";
          LOG.warn("sensor {}: {}", source.name(), problem);
          long delay = retryMs;
          retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
          vertx.setTimer(delay, id -> reopen());
        });
  }

  private void reopen() {
    if (!stopping) {
      open();
    }
  }

  /** One attempt to open the source; completes (never fails) once it has succeeded or failed. */
  private Future<Void> open() {
    return executor
        .<Void>executeBlocking(
            () -> {
              source.open();
              return null;
            })
        .onSuccess(
            x -> {
              if (stopping) {
                source.close();
                return;
              }
              problem = null;
              retryMs = FIRST_RETRY_MS;
              runLoop();
            })
        .onFailure(
            e -> {
              if (stopping) {
                return;
              }
              metrics.sensorFailures(source.name(), 1);
              long delay = retryMs;
              retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
              problem = "cannot open: " + e.getMessage() + "; retrying in " + delay + " ms";
              vertx.setTimer(delay, id -> reopen());
            })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  @Override
  public void stop(Promise<Void> stopped) {
    stopping = true;
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
    }
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
