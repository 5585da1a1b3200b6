package io.haulproof.agent.status;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.lift.BinLifts;
import io.haulproof.lightchain.bytes.Bytes;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/lifts?bin=TAGHEX[&from=ISO][&to=ISO]}: one bin's lifts, as {@code haulproof chain
 * lifts} prints them, in one JSON object ({@code bin}, {@code lifts} count, {@code from}, {@code
 * to}, and {@code items}: one object per lift).
 *
 * <p>A bin's history is personal data, so this read needs what a crew action needs except a body
 * ({@link CrewRequestGuard#checkRead}). The look-up runs on a worker thread ({@code
 * executeBlocking}), never on the event loop.
 */
final class LiftsHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(LiftsHandler.class);

  private final Vertx vertx;
  private final BinLookup lookup;
  private final Supplier<CrewRequestGuard> guard;
  private final AgentMetrics metrics;

  LiftsHandler(
      Vertx vertx, BinLookup lookup, Supplier<CrewRequestGuard> guard, AgentMetrics metrics) {
    this.vertx = vertx;
    this.lookup = lookup;
    this.guard = guard;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    CrewRequestGuard g = guard.get();
    var h = ctx.request().headers();
    Optional<CrewRequestGuard.Refusal> refusal =
        g == null
            ? Optional.of(new CrewRequestGuard.Refusal(503, "starting"))
            : g.checkRead(
                HttpVerticle.host(ctx),
                h.get("Origin"),
                h.get("Sec-Fetch-Site"),
                h.get("Authorization"));
    if (refusal.isPresent()) {
      metrics.reject("http");
      LOG.warn("lift look-up refused ({}): {}", refusal.get().status(), refusal.get().reason());
      if (refusal.get().status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      HttpVerticle.json(ctx, refusal.get().status(), Map.of("error", refusal.get().reason()));
      return;
    }
    Bytes tag;
    Instant from;
    Instant to;
    try {
      tag = BinLifts.parseTag(ctx.request().getParam("bin"));
      from = BinLifts.parseTime("from", ctx.request().getParam("from"));
      to = BinLifts.parseTime("to", ctx.request().getParam("to"));
    } catch (IllegalArgumentException e) {
      HttpVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
      return;
    }
    vertx
        .executeBlocking(() -> BinLifts.within(lookup.lifts(tag), from, to), false)
        .onSuccess(
            lifts -> {
              Map<String, Object> body = BinLifts.summary(tag, lifts.size(), from, to);
              body.put("items", lifts.stream().map(BinLifts::line).toList());
              HttpVerticle.json(ctx, 200, body);
            })
        .onFailure(
            e -> {
              LOG.error("lift look-up for bin {} failed", tag.toHex(), e);
              HttpVerticle.json(
                  ctx, 500, Map.of("error", "cannot read the log: " + e.getMessage()));
            });
  }
}
