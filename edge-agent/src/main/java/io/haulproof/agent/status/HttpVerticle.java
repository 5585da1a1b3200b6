package io.haulproof.agent.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.runtime.Addresses;
import io.haulproof.agent.runtime.CrewInput;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.uplink.http.BearerToken;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local HTTP server: {@code /health}, {@code /metrics} (Prometheus text), {@code /api/status}
 * (JSON for the status page), {@code POST /api/exception} (crew exception codes), {@code GET
 * /api/lifts} (one bin's lifts, {@link LiftsHandler}) and the status page itself under {@code /}.
 *
 * <p>Security guarantees: a crew exception (which the device signs) is taken only from a request
 * that {@link CrewRequestGuard} lets through: the crew's bearer token from {@code
 * http.crewTokenFile}, a known {@code Host}, no foreign {@code Origin}, a JSON body; refused
 * requests are answered with the reason and counted ({@code
 * haulproof_rejects_total{driver="http"}}) and nothing reaches the lift layer. With {@code
 * http.tls} the server speaks HTTPS only.
 */
public final class HttpVerticle extends AbstractVerticle {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final HttpConfig config;
  private final HealthRegistry health;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private volatile int actualPort = -1;
  private volatile CrewRequestGuard guard;
  private final BinLookup lifts;

  public HttpVerticle(
      HttpConfig config, HealthRegistry health, AgentMetrics metrics, StatusBoard board) {
    this(config, health, metrics, board, null);
  }

  /**
   * @param lifts the agent's bin look-up behind {@code GET /api/lifts} (blocking; run on a worker),
   *     or null for none (404)
   */
  public HttpVerticle(
      HttpConfig config,
      HealthRegistry health,
      AgentMetrics metrics,
      StatusBoard board,
      BinLookup lifts) {
    this.config = config;
    this.health = health;
    this.metrics = metrics;
    this.board = board;
    this.lifts = lifts;
  }

  @Override
  public void start(Promise<Void> started) {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    router.get("/api/status").handler(this::status);
    if (lifts != null) {
      router.get("/api/lifts").handler(new LiftsHandler(vertx, lifts, () -> guard, metrics));
    }
    router
        .post("/api/exception")
        .handler(BodyHandler.create().setBodyLimit(1024))
        .handler(this::crewException);
    router.get("/").handler(ctx -> ctx.redirect("/status/index.html"));
    router
        .route("/status/*")
        .handler(StaticHandler.create("webroot/status").setCachingEnabled(false));
    HttpServerOptions options = new HttpServerOptions();
    if (config.tls() != null) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(config.tls().cert())
                  .setKeyPath(config.tls().key()));
    }
    vertx
        .executeBlocking(() -> crewToken(config.crewTokenFile()))
        .compose(
            token ->
                vertx
                    .createHttpServer(options)
                    .requestHandler(router)
                    .listen(config.port(), config.bind())
                    .onSuccess(
                        server ->
                            guard =
                                new CrewRequestGuard(
                                    token,
                                    config.bind(),
                                    config.hostnames(),
                                    server.actualPort(),
                                    config.tls() != null)))
        .onSuccess(
            server -> {
              actualPort = server.actualPort();
              started.complete();
            })
        .onFailure(
            e ->
                started.fail(
                    new IllegalStateException(
                        "cannot listen on "
                            + config.bind()
                            + ":"
                            + config.port()
                            + ": "
                            + e.getMessage(),
                        e)));
  }

  /** The port the server listens on, once started (useful with port 0). */
  public int actualPort() {
    return actualPort;
  }

  private void health(RoutingContext ctx) {
    HealthRegistry.Report r = health.report();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("live", r.live());
    body.put("ready", r.ready());
    body.put("reason", r.reason());
    Map<String, Object> checks = new LinkedHashMap<>();
    r.checks()
        .forEach(
            (k, v) ->
                checks.put(
                    k, Map.of("ok", v.ok(), "critical", v.critical(), "reason", v.reason())));
    body.put("checks", checks);
    int code = r.ready() ? 200 : 503;
    json(ctx, code, body);
  }

  private void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape());
  }

  private void status(RoutingContext ctx) {
    Map<String, Object> body = board.snapshot();
    HealthRegistry.Report r = health.report();
    body.put("ready", r.ready());
    body.put("reason", r.reason());
    json(ctx, 200, body);
  }

  /** The crew's token from {@code file} (mode 0600), or null when crew actions are disabled. */
  private static BearerToken crewToken(String file) throws IOException {
    return file == null ? null : BearerToken.read(Path.of(file), "http.crewTokenFile");
  }

  /** The Host header, or for HTTP/2 (h2c upgrade) the :authority. */
  static String host(RoutingContext ctx) {
    String host = ctx.request().headers().get("Host");
    var a = ctx.request().authority();
    if (host == null && a != null && a.port() >= 0) {
      host = a.host() + ":" + a.port();
    }
    return host;
  }

  private void crewException(RoutingContext ctx) {
    CrewRequestGuard g = guard;
    var h = ctx.request().headers();
    var refusal =
        g == null
            ? java.util.Optional.of(new CrewRequestGuard.Refusal(503, "starting"))
            : g.check(
                host(ctx),
                h.get("Origin"),
                h.get("Sec-Fetch-Site"),
                h.get("Content-Type"),
                h.get("Authorization"));
    if (refusal.isPresent()) {
      metrics.reject("http");
      LOG.warn("crew action refused ({}): {}", refusal.get().status(), refusal.get().reason());
      if (refusal.get().status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      json(ctx, refusal.get().status(), Map.of("error", refusal.get().reason()));
      return;
    }
    JsonObject in;
    try {
      in = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      json(ctx, 400, Map.of("error", "body is not a JSON object"));
      return;
    }
    String code = in == null ? null : in.getString("code");
    ExceptionCode parsed =
        Arrays.stream(ExceptionCode.values())
            .filter(c -> c.name().equals(code))
            .findFirst()
            .orElse(null);
    if (parsed == null) {
      json(
          ctx,
          400,
          Map.of("error", "code must be one of " + Arrays.toString(ExceptionCode.values())));
      return;
    }
    Object container = in.getValue("container");
    if (container != null && !(container instanceof String s && !s.isBlank() && s.length() <= 64)) {
      json(ctx, 400, Map.of("error", "container must be a string of 1 to 64 characters"));
      return;
    }
    vertx.eventBus().send(Addresses.CREW, new CrewInput(parsed, (String) container));
    json(ctx, 202, Map.of("accepted", parsed.name()));
  }

  static void json(RoutingContext ctx, int code, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      ctx.fail(500, e);
      return;
    }
    ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(text);
  }
}
