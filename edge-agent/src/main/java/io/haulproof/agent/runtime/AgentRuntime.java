package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.LiftAssembler;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.agent.status.HttpVerticle;
import io.haulproof.agent.status.StatusBoard;
import io.haulproof.lightchain.files.StorageCheck;
import io.haulproof.uplink.vertx.BlockedLoopWatch;
import io.haulproof.uplink.vertx.VertxFactory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The agent's Vert.x runtime: one verticle per concern (log writer, blocks and checkpoints, uplink,
 * lift assembler, sensors, HTTP), started in dependency order and stopped in reverse.
 *
 * <p>{@link #start()} completes once every part is deployed; then the notifier says READY=1. READY
 * means the agent's own loops (log writer, chain, uplink, lift assembler, HTTP) run; a configured
 * sensor whose port is missing or unplugged does not block it (a serial transport opens in the
 * background and retries), it makes readiness ({@code /health}) fail with the sensor, port and
 * reason, and the systemd STATUS= line says so, while lifts are still recorded with their quality
 * flags. Keep-alives (WATCHDOG=1) follow liveness only: a fatal log error, failing blocks, a dead
 * or stuck driver reader loop, or a blocked event loop (the keep-alive timer runs on it) stop them
 * and systemd restarts the agent; a missing sensor does not, so there is no restart loop while a
 * technician fetches a cable. {@link #stop()} is orderly: sensors stop, pending lifts are recorded
 * and made durable, a last block and a final checkpoint are made, the uplink delivers what it can
 * and disconnects, the log is closed.
 */
public final class AgentRuntime {
  private final RuntimeParts parts;
  private final Vertx vertx;
  private final HealthRegistry health = new HealthRegistry();
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private final Deque<String> deployed = new ArrayDeque<>();
  private ChainVerticle chain;
  private HttpVerticle http;
  private static final long STATUS_MS = 1_000;
  private long watchdogTimer = -1;
  private long statusTimer = -1;
  private String lastStatus = "";
  private boolean stopped;
  private volatile EntryClock entryClock;
  private final StorageWatch storage;
  private final BlockedLoopWatch loops;

  public AgentRuntime(RuntimeParts parts, VertxOptions options) {
    this(parts, options, new AgentMetrics());
  }

  /**
   * With metrics created beforehand, so parts built earlier (management) count into the same
   * registry.
   */
  public AgentRuntime(RuntimeParts parts, VertxOptions options, AgentMetrics metrics) {
    this.parts = parts;
    this.metrics = metrics;
    this.loops = new BlockedLoopWatch(metrics::eventLoopBlocked);
    this.vertx = VertxFactory.create(options, loops);
    this.board = new StatusBoard(parts.deviceId());
    this.storage =
        parts
            .evidence()
            .dataDir()
            .map(
                d ->
                    new StorageWatch(
                        new StorageCheck(d, StorageCheck.DEFAULT_RESERVE_BYTES),
                        metrics,
                        board,
                        health))
            .orElse(null);
    registerCodec(TagRead.class);
    registerCodec(Weighing.class);
    registerCodec(GnssFix.class);
    registerCodec(CrewInput.class);
    registerCodec(RouteChange.class);
    registerCodec(CollectionEvent.class);
    registerCodec(EvidencePort.Appended.class);
  }

  private <T> void registerCodec(Class<T> type) {
    vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
  }

  /**
   * Deploys every part in order; fails (after undeploying what started) if any part fails to start.
   */
  public Future<Void> start() {
    parts.notifier().status("starting");
    board.state("starting");
    showCalibration();
    DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
    DeploymentOptions loop = new DeploymentOptions();
    chain =
        new ChainVerticle(parts.evidence(), parts.uplink(), parts.chain(), metrics, board, health);
    Future<Void> f =
        deploy(
                new LogWriterVerticle(
                    parts.evidence(), parts.uplink(), metrics, board, health, storage),
                worker)
            // The uplink stops after the chain verticle, so the final checkpoint still goes out.
            .compose(x -> deploy(new UplinkVerticle(parts.uplink(), metrics, board, health), loop))
            .compose(x -> deploy(chain, loop));
    if (parts.assembler() != null) {
      f = f.compose(x -> deploy(new LiftVerticle(this::newAssembler, metrics, health), loop));
    }
    for (SensorSource s : parts.sensors()) {
      f = f.compose(x -> deploy(new SensorVerticle(s, metrics, board, health), loop));
    }
    for (Verticle v : parts.extras()) {
      f = f.compose(x -> deploy(v, loop));
    }
    if (parts.http() != null) {
      http = new HttpVerticle(parts.http(), health, metrics, board, parts.lifts());
      f = f.compose(x -> deploy(http, loop));
    }
    return f.onSuccess(x -> ready())
        .recover(e -> undeployAll().transform(x -> Future.<Void>failedFuture(e)));
  }

  /**
   * Verification of a truck scale is due a year after calibration (German practice for
   * catchweighers).
   */
  private void showCalibration() {
    if (parts.assembler() == null || parts.assembler().instrument() == null) {
      board.calibration(null, "no scale");
      return;
    }
    io.haulproof.agent.lift.Instrument i = parts.assembler().instrument();
    java.time.LocalDate due = java.time.LocalDate.parse(i.calibrationDate()).plusYears(1);
    java.time.LocalDate today =
        parts.clock().wallTime().atZone(java.time.ZoneOffset.UTC).toLocalDate();
    board.calibration(i, (today.isAfter(due) ? "OVERDUE since " : "valid until ") + due);
  }

  private LiftAssembler newAssembler(java.util.function.Consumer<CollectionEvent> sink) {
    LiftAssembler a =
        new LiftAssembler(parts.assembler(), parts.bins(), parts.clock(), sink, UUID::randomUUID);
    EntryClock c = entryClock;
    if (c != null) {
      c.follow(a.timeKeeper());
    }
    return a;
  }

  /**
   * Makes {@code clock} (which stamps the log's entry headers) follow the lift assembler's time
   * keeper once it runs, so entries carry GNSS time when the fix is valid; call before {@link
   * #start()}.
   */
  public void stampEntriesWith(EntryClock clock) {
    this.entryClock = clock;
  }

  private Future<Void> deploy(Verticle v, DeploymentOptions options) {
    return vertx.deployVerticle(v, options).onSuccess(deployed::push).mapEmpty();
  }

  private void ready() {
    loops.running(); // from READY on, an event-loop task over the limit counts as blocking
    health.markStarted();
    board.state("running");
    parts.notifier().ready();
    publishStatus();
    statusTimer = vertx.setPeriodic(STATUS_MS, id -> publishStatus());
    if (parts.watchdogMs() > 0) {
      watchdogTimer =
          vertx.setPeriodic(
              parts.watchdogMs(),
              id -> {
                // Keep-alives while the agent's own loops live, so systemd restarts an agent that
                // is stuck or has a
                // dead loop, but not one that merely misses a sensor (readiness says that).
                if (health.report().live()) {
                  parts.notifier().watchdog();
                } else {
                  metrics.watchdogWithheld();
                }
              });
    }
  }

  /** Sends the STATUS= line when readiness or its reason changes. */
  private void publishStatus() {
    HealthRegistry.Report r = health.report();
    String text =
        r.ready() ? "running" : r.live() ? "running, not ready: " + r.reason() : r.reason();
    if (!text.equals(lastStatus)) {
      lastStatus = text;
      parts.notifier().status(text);
    }
  }

  /**
   * Forces a block and a checkpoint now; completes with the checkpointed tree size, if the tree
   * grew.
   */
  public Future<OptionalLong> checkpointNow() {
    return chain.checkpointNow();
  }

  /** Orderly shutdown; idempotent. Closes Vert.x and finally the evidence log. */
  public synchronized Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    parts.notifier().stopping();
    health.markStopping();
    board.state("stopping");
    if (watchdogTimer >= 0) {
      vertx.cancelTimer(watchdogTimer);
    }
    if (statusTimer >= 0) {
      vertx.cancelTimer(statusTimer);
    }
    return undeployAll()
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      parts.evidence().close();
                      return null;
                    }))
        .eventually(vertx::close)
        .mapEmpty();
  }

  private Future<Void> undeployAll() {
    Future<Void> f = Future.succeededFuture();
    while (!deployed.isEmpty()) {
      String id = deployed.pop();
      f = f.eventually(() -> vertx.undeploy(id));
    }
    return f;
  }

  /**
   * Whether the evidence log can be written now (disk not full, not read-only), for parts that
   * accept evidence from outside (e.g. the smart-bin endpoints answer 5.03 while it cannot); empty
   * for a log that is not on disk.
   */
  public java.util.Optional<StorageWatch> storage() {
    return java.util.Optional.ofNullable(storage);
  }

  public HealthRegistry health() {
    return health;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public StatusBoard board() {
    return board;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The HTTP port, once started; -1 without HTTP. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }
}
