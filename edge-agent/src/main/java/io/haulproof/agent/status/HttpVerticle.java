package io.haulproof.agent.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.lift.ExceptionCode;
import io.haulproof.agent.runtime.Addresses;
import io.haulproof.agent.runtime.CrewInput;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local HTTP server: {@code /health}, {@code /metrics} (Prometheus text), {@code /api/status}
 * (JSON for the status page), {@code POST /api/exception} (crew exception codes) and the status
 * page itself under {@code /}.
 */
public final class HttpVerticle extends AbstractVerticle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpConfig config;
  private final HealthRegistry health;
  private final AgentMetrics metrics;
  private final StatusBoard board;
  private volatile int actualPort = -1;

  public HttpVerticle(
      HttpConfig config, HealthRegistry health, AgentMetrics metrics, StatusBoard board) {
    this.config = config;
    this.health = health;
    this.metrics = metrics;
    this.board = board;
  }

  @Override
  public void start(Promise<Void> started) {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    router.get("/api/status").handler(this::status);
    router
        .post("/api/exception")
        .handler(BodyHandler.create().setBodyLimit(1024))
        .handler(this::crewException);
    router.get("/").handler(ctx -> ctx.redirect("/status/index.html"));
    router
        .route("/status/*")
        .handler(StaticHandler.create("webroot/status").setCachingEnabled(false));
    vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.bind())
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

  private void crewException(RoutingContext ctx) {
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

  private static void json(RoutingContext ctx, int code, Object body) {
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
