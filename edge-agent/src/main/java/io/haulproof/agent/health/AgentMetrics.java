package io.haulproof.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The agent's metrics in a Micrometer Prometheus registry, served as text on {@code /metrics}.
 *
 * <p>Counters: readings and rejects per driver, entries per kind, lifts per outcome, blocks,
 * checkpoints, receipts, reconnects, clock jumps, rejected management messages, event-loop tasks
 * that ran over the limit ({@code haulproof_event_loop_blocked_total}, present from the start at
 * 0). Gauges (read from suppliers): outbox depth and age, checkpoint age, tree size, quarantined
 * segments. JVM memory ({@code jvm_memory_used_bytes}, {@code jvm_memory_max_bytes} by area and
 * pool), so that heap use over a long run can be watched.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public AgentMetrics() {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    eventLoopBlockedCounter();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A valid reading from a driver ({@code scale}, {@code rfid}, {@code gps}, {@code remote}). */
  public void reading(String driver) {
    counter("haulproof.readings", "driver", driver, "valid readings per driver").increment();
  }

  /** A malformed frame or sentence a driver rejected. */
  public void reject(String driver) {
    counter("haulproof.rejects", "driver", driver, "rejected frames per driver").increment();
  }

  /** A durable log entry of {@code kind}. */
  public void entry(String kind) {
    counter("haulproof.entries", "kind", kind, "durable log entries per kind").increment();
  }

  public void lift(String outcome) {
    counter("haulproof.lifts", "outcome", outcome, "collection events per outcome").increment();
  }

  /** A lift refused because the evidence log could not take it (disk full or read-only). */
  public void liftRefused() {
    counter(
            "haulproof.lifts.refused",
            null,
            null,
            "collection events refused because the evidence log was not writable")
        .increment();
  }

  public void block() {
    counter("haulproof.blocks", null, null, "blocks cut and authenticated").increment();
  }

  public void checkpoint() {
    counter("haulproof.checkpoints", null, null, "signed checkpoints").increment();
  }

  public void receipt() {
    counter("haulproof.receipts", null, null, "witness receipts logged").increment();
  }

  public void reconnect() {
    counter("haulproof.uplink.reconnects", null, null, "uplink reconnects").increment();
  }

  /** A PoAh proposer event: {@code final}, {@code rejection}, {@code bad_authentication}, … */
  public void poahEvent(String event) {
    counter("haulproof.poah.events", "event", event, "PoAh proposer events by kind").increment();
  }

  /**
   * An event-loop task ran longer than the limit ({@code uplink.vertx.VertxFactory}): something
   * blocked the loop, so timers, HTTP answers and the watchdog were late.
   */
  public void eventLoopBlocked() {
    eventLoopBlockedCounter().increment();
  }

  private Counter eventLoopBlockedCounter() {
    return counter(
        "haulproof.event.loop.blocked",
        null,
        null,
        "event-loop tasks that ran longer than -Dhaulproof.vertx.maxEventLoopMs");
  }

  public void clockJump() {
    counter("haulproof.clock.jumps", null, null, "wall-clock steps detected").increment();
  }

  /**
   * A management message rejected for {@code reason} (unsigned, expired, replayed, wrong target,
   * …).
   */
  public void mgmtReject(String reason) {
    counter("haulproof.mgmt.rejects", "reason", reason, "rejected management messages").increment();
  }

  /** A configured sensor's transport failed to open or lost its port ({@code n} more times). */
  public void sensorFailures(String sensor, long n) {
    counter("haulproof.sensor.failures", "sensor", sensor, "sensor port open failures and losses")
        .increment(n);
  }

  /** Registers a gauge that is 1 while {@code sensor} delivers and 0 while it does not. */
  public void sensorUp(String sensor, Supplier<Number> value) {
    Gauge.builder("haulproof.sensor.up", value)
        .description("1 while the sensor's port is open and its loop runs, else 0")
        .tag("sensor", sensor)
        .strongReference(true)
        .register(registry);
  }

  /** Registers a gauge read from {@code value} at scrape time. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  /** The count of a counter, 0 if it was never incremented; for status and tests. */
  public double count(String name, String tagKey, String tagValue) {
    Counter c = counters.get(key(name, tagKey, tagValue));
    return c == null ? 0 : c.count();
  }

  /** Collection events made durable, all outcomes together. */
  public double liftsTotal() {
    return registry.find("haulproof.lifts").counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  private Counter counter(String name, String tagKey, String tagValue, String description) {
    return counters.computeIfAbsent(
        key(name, tagKey, tagValue),
        k -> {
          Counter.Builder b = Counter.builder(name).description(description);
          if (tagKey != null) {
            b.tag(tagKey, tagValue);
          }
          return b.register(registry);
        });
  }

  private static String key(String name, String tagKey, String tagValue) {
    return tagKey == null ? name : name + "|" + tagKey + "=" + tagValue;
  }
}
