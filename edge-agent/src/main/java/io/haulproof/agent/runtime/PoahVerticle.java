package io.haulproof.agent.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.authenticator.truck.PoahProposer;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the truck's PoAh proposer ({@code poah} in the config) under Vert.x: it proposes every
 * sealed block to the authenticator nodes over its own MQTT session and stores their signatures
 * beside the blocks. Starting and closing happen on a worker executor, never on an event loop; the
 * proposer works on its own thread, so authentication never blocks logging. An unreachable broker
 * is retried in the background, not a startup failure: blocks stay pending, entries are logged and
 * acknowledged as always.
 *
 * <p>Each proposer event (a block final, a rejection with its rule and reason, an authentication
 * that proves invalid work) is logged as one JSON line and counted ({@code haulproof.poah.events}
 * by event); {@code haulproof.poah.pending} is the number of sealed blocks not final yet.
 */
public final class PoahVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(PoahVerticle.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Builds the proposer once its event sink is known. */
  public interface ProposerFactory {
    PoahProposer open(java.util.function.Consumer<Map<String, Object>> events)
        throws java.io.IOException;
  }

  private final ConnectionSupervisor mqtt;
  private final ProposerFactory factory;
  private final AgentMetrics metrics;
  private volatile PoahProposer proposer;
  private WorkerExecutor executor;

  public PoahVerticle(ConnectionSupervisor mqtt, ProposerFactory factory, AgentMetrics metrics) {
    this.mqtt = mqtt;
    this.factory = factory;
    this.metrics = metrics;
  }

  @Override
  public void start(Promise<Void> started) {
    executor = vertx.createSharedWorkerExecutor("poah", 1, 10, TimeUnit.MINUTES);
    executor
        .<Void>executeBlocking(
            () -> {
              PoahProposer p = factory.open(this::event);
              proposer = p;
              metrics.gauge(
                  "haulproof.poah.pending",
                  "sealed blocks not yet final (PoAh quorum not reached)",
                  p::pending);
              p.start();
              mqtt.start();
              return null;
            })
        .onComplete(started);
  }

  private void event(Map<String, Object> e) {
    metrics.poahEvent(String.valueOf(e.get("event")));
    try {
      LOG.info("poah {}", JSON.writeValueAsString(e));
    } catch (JsonProcessingException x) {
      LOG.info("poah {}", e);
    }
  }

  /** The proposer, once started (for status and tests); null before. */
  public PoahProposer proposer() {
    return proposer;
  }

  @Override
  public void stop(Promise<Void> stopped) {
    executor
        .<Void>executeBlocking(
            () -> {
              try {
                mqtt.close();
              } finally {
                PoahProposer p = proposer;
                if (p != null) {
                  p.close();
                }
              }
              return null;
            })
        .onComplete(
            r -> {
              executor.close();
              stopped.handle(r);
            });
  }
}
