package io.haulproof.ledger.http;

import io.haulproof.ledger.AuditApi;
import io.haulproof.ledger.DashboardApi;
import io.haulproof.ledger.HttpAnswer;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LedgerApi;
import io.haulproof.ledger.LedgerMetrics;
import io.haulproof.uplink.http.BearerToken;
import io.haulproof.uplink.http.SameOriginCheck;
import io.haulproof.uplink.vertx.BlockedLoopWatch;
import io.haulproof.uplink.vertx.VertxFactory;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's HTTP server on Vert.x Web: one router, one server, the requests of {@link
 * LedgerApi}, {@link AuditApi} and {@link DashboardApi} (docs/ledger.md, "HTTP").
 *
 * <p>Nothing blocks an event loop: the router only matches requests and checks headers; every
 * answer is computed and written on a worker thread ({@value #WORKERS} of them), and a streamed
 * body applies the client's backpressure ({@link Responses}). An event loop held longer than the
 * configured time ({@link VertxFactory}: {@value VertxFactory#MAX_EVENT_LOOP_PROPERTY}, default 2
 * s) is logged with the marker {@value VertxFactory#MARKER} and counted as {@code
 * http.event_loop_blocked}.
 *
 * <p>Security guarantees: the server listens where it is told (the ledger binds loopback); requests
 * from other web sites are refused with 403 ({@link SameOriginCheck}); a wrong method is a 405, an
 * unknown path a 404, a bad parameter a 400 naming it, each as {@code {"error": …}} JSON; only
 * {@code POST /v1/verify} takes a body (at most {@link LedgerApi#MAX_BODY} bytes, else 413),
 * request lines and headers are capped, and idle connections are closed.
 */
public final class LedgerHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerHttp.class);
  private static final int WORKERS = 4;
  private static final String ENTRY =
      "/v1/devices/(?<fleet>[^/]+)/(?<device>[^/]+)/entries/(?<index>\\d{1,18})";
  private static final String CHECKPOINT =
      "/v1/devices/(?<fleet>[^/]+)/(?<device>[^/]+)/checkpoint";

  /** One request's work, run on a worker thread. */
  @FunctionalInterface
  private interface Call {
    HttpAnswer answer() throws IOException;
  }

  private final Ledger ledger;
  private final Vertx vertx;
  private final HttpServer server;
  private final Optional<BearerToken> auditToken;
  private volatile SameOriginCheck origins; // set once listening; refuses requests until then

  public LedgerHttp(Ledger ledger, InetSocketAddress bind) throws IOException {
    this(ledger, bind, new LedgerMetrics(ledger, () -> true));
  }

  /** Also serves {@code GET /health} (200 up, 503 down, JSON) and {@code GET /metrics}. */
  public LedgerHttp(Ledger ledger, InetSocketAddress bind, LedgerMetrics metrics)
      throws IOException {
    this(ledger, bind, metrics, VertxFactory.maxEventLoopTime(), List.of(), Optional.empty());
  }

  /**
   * @param maxEventLoopTime how long an event loop may run one task before Vert.x warns
   * @param hostnames further {@code Host} names the server is reached by (loopback names and the
   *     bind address always are)
   * @param auditToken the token required by the audit endpoints, entry reads and the dashboard's
   *     data ({@code /v1/fleet}); may be empty only on a loopback bind
   * @throws IllegalArgumentException for a non-loopback bind without an audit token
   */
  public LedgerHttp(
      Ledger ledger,
      InetSocketAddress bind,
      LedgerMetrics metrics,
      Duration maxEventLoopTime,
      List<String> hostnames,
      Optional<BearerToken> auditToken)
      throws IOException {
    if (auditToken.isEmpty()
        && (bind.getAddress() == null || !bind.getAddress().isLoopbackAddress())) {
      throw new IllegalArgumentException(
          "HTTP on "
              + bind
              + " is reachable from other hosts: it needs an audit token (--audit-token-file)");
    }
    this.ledger = ledger;
    this.auditToken = auditToken;
    BlockedLoopWatch loops = new BlockedLoopWatch(() -> ledger.count("http.event_loop_blocked"));
    this.vertx =
        VertxFactory.create(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(WORKERS)
                .setInternalBlockingPoolSize(2)
                .setMaxWorkerExecuteTime(30)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES),
            maxEventLoopTime,
            loops);
    LedgerApi api = new LedgerApi(ledger, metrics);
    AuditApi audit = new AuditApi(ledger);
    DashboardApi dashboard = new DashboardApi(ledger);
    Router router = Router.router(vertx);
    router.route().handler(this::guard);
    router.get("/health").handler(ctx -> serve(ctx, api::health));
    router.get("/metrics").handler(ctx -> serve(ctx, api::metrics));
    router.get("/v1/witness").handler(ctx -> serve(ctx, api::witness));
    router
        .post("/v1/verify")
        .handler(BodyHandler.create(false).setBodyLimit(LedgerApi.MAX_BODY))
        .handler(
            ctx -> {
              byte[] body =
                  ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
              serve(ctx, () -> api.verify(body));
            });
    router
        .getWithRegex(CHECKPOINT)
        .handler(
            ctx -> {
              String fleet = ctx.pathParam("fleet");
              String device = ctx.pathParam("device");
              serve(ctx, () -> api.checkpoint(fleet, device));
            });
    router
        .getWithRegex(ENTRY)
        .handler(this::auditor)
        .handler(
            ctx -> {
              String fleet = ctx.pathParam("fleet");
              String device = ctx.pathParam("device");
              long index = Long.parseLong(ctx.pathParam("index"));
              String query = ctx.request().query();
              serve(ctx, () -> api.entry(fleet, device, index, query));
            });
    router
        .get("/v1/collections")
        .handler(this::auditor)
        .handler(ctx -> serve(ctx, query(ctx, audit::collections)));
    router
        .get("/v1/bundle")
        .handler(this::auditor)
        .handler(ctx -> serve(ctx, query(ctx, audit::bundle)));
    router
        .get("/v1/export/payt")
        .handler(this::auditor)
        .handler(ctx -> serve(ctx, query(ctx, audit::payt)));
    router.get("/v1/fleet").handler(this::auditor).handler(ctx -> serve(ctx, dashboard::fleet));
    for (String path : DashboardApi.paths()) {
      router.get(path).handler(ctx -> serve(ctx, () -> dashboard.file(path).orElseThrow()));
    }
    router.errorHandler(
        404, ctx -> refuse(ctx, HttpAnswer.error(404, "no such resource " + clip(path(ctx)))));
    router.errorHandler(
        405,
        ctx ->
            refuse(
                ctx,
                HttpAnswer.error(
                    405,
                    "method " + ctx.request().method() + " not allowed on " + clip(path(ctx)))));
    router.errorHandler(
        413, ctx -> refuseBody(ctx, "request body over " + LedgerApi.MAX_BODY + " bytes"));
    router.errorHandler(
        500,
        ctx -> {
          LOG.error("ledger http {} failed", path(ctx), ctx.failure());
          if (!ctx.response().headWritten()) {
            write(ctx, HttpAnswer.error(500, "internal error"));
          }
        });
    HttpServerOptions options =
        new HttpServerOptions()
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(8192)
            .setMaxFormAttributeSize(0)
            .setIdleTimeout(120)
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setCompressionSupported(false)
            .setHttp2ClearTextEnabled(false); // HTTP/1.1 only: no h2c upgrade
    try {
      this.server =
          get(
              vertx
                  .createHttpServer(options)
                  .requestHandler(router)
                  .listen(bind.getPort(), bind.getHostString()));
    } catch (IOException e) {
      get(vertx.close());
      throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
    }
    this.origins = new SameOriginCheck(bind.getHostString(), server.actualPort(), hostnames, false);
    loops.running();
  }

  /** The server's Vert.x instance (for tests of the server itself). */
  Vertx vertx() {
    return vertx;
  }

  public int port() {
    return server.actualPort();
  }

  /** Refuses requests from other web sites, and bodies on any request but {@code POST}. */
  private void guard(RoutingContext ctx) {
    var h = ctx.request().headers();
    SameOriginCheck check = origins;
    Optional<String> refused =
        check == null
            ? Optional.of("starting")
            : check.refusal(h.get("Host"), h.get("Origin"), h.get("Sec-Fetch-Site"));
    if (refused.isPresent()) {
      LOG.warn("http request refused: {}", refused.get());
      refuse(ctx, HttpAnswer.error(403, refused.get()));
      return;
    }
    String length = h.get("Content-Length");
    boolean body = h.contains("Transfer-Encoding") || (length != null && !length.equals("0"));
    if (body && !ctx.request().method().name().equals("POST")) {
      refuseBody(ctx, "a " + ctx.request().method() + " request takes no body");
      return;
    }
    if (length != null
        && !(length.matches("\\d{1,12}") && Long.parseLong(length) <= LedgerApi.MAX_BODY)) {
      refuseBody(ctx, "request body over " + LedgerApi.MAX_BODY + " bytes");
      return;
    }
    ctx.next();
  }

  /**
   * Lets a request for evidence or fleet data through: with an audit token configured, only with
   * that token (the dashboard page sends it from its login form, docs/ledger.md).
   */
  private void auditor(RoutingContext ctx) {
    if (auditToken.isEmpty() || auditToken.get().admits(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    boolean given = ctx.request().getHeader("Authorization") != null;
    LOG.warn("http {}: credentials {}", path(ctx), given ? "wrong" : "missing");
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"haulproof-ledger\"");
    refuse(
        ctx,
        HttpAnswer.error(
            401,
            given ? "wrong credentials" : "credentials required (Authorization: Bearer <token>)"));
  }

  /** Refuses a request's body unread: 413, and the connection closes after the answer. */
  private void refuseBody(RoutingContext ctx, String reason) {
    ctx.response().putHeader("Connection", "close");
    ctx.response().endHandler(v -> ctx.request().connection().close());
    refuse(ctx, HttpAnswer.error(413, reason));
  }

  /** Answers {@code ctx} with {@code call}'s answer, computed and written on a worker thread. */
  private void serve(RoutingContext ctx, Call call) {
    Context context = vertx.getOrCreateContext();
    vertx
        .executeBlocking(
            () -> {
              answer(ctx, context, call);
              return null;
            },
            false)
        .onFailure(e -> LOG.error("ledger http {} failed", path(ctx), e));
  }

  private void answer(RoutingContext ctx, Context context, Call call) {
    HttpAnswer a;
    try {
      a = call.answer();
    } catch (IllegalArgumentException e) {
      ledger.count("http.rejected");
      a = HttpAnswer.error(400, e.getMessage() == null ? "bad request" : e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.error("ledger http {} failed", path(ctx), e);
      a = HttpAnswer.error(500, "internal error: " + e.getClass().getSimpleName());
    }
    try {
      Responses.send(context, ctx.response(), a);
    } catch (IOException | RuntimeException e) {
      LOG.warn("ledger http {}: answer broken off: {}", path(ctx), e.getMessage());
      Responses.abort(context, ctx.response());
    }
  }

  /** A query request: {@code f} applied to the raw (still percent-encoded) query string. */
  private static Call query(RoutingContext ctx, QueryCall f) {
    String raw = ctx.request().query();
    return () -> f.answer(raw);
  }

  @FunctionalInterface
  private interface QueryCall {
    HttpAnswer answer(String rawQuery) throws IOException;
  }

  /** Answers a refused request (on the event loop: nothing to compute), counted. */
  private void refuse(RoutingContext ctx, HttpAnswer a) {
    if (a.status() != 404) {
      ledger.count("http.rejected");
    }
    write(ctx, a);
  }

  private static void write(RoutingContext ctx, HttpAnswer a) {
    try {
      Responses.send(Vertx.currentContext(), ctx.response(), a);
    } catch (IOException e) {
      ctx.response().reset();
    }
  }

  private static String path(RoutingContext ctx) {
    String p = ctx.request().path();
    return p == null ? "" : p;
  }

  private static String clip(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }

  private static <T> T get(io.vertx.core.Future<T> f) throws IOException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IOException(c.getMessage(), c);
    }
  }

  @Override
  public void close() {
    try {
      get(vertx.close());
    } catch (IOException e) {
      LOG.warn("ledger http: close: {}", e.getMessage());
    }
  }
}
