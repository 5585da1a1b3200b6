package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.drivers.remote.coap.CoapReadingReceiver;
import io.haulproof.drivers.remote.coap.CoapReceiverOptions;
import io.haulproof.lightchain.entry.ReadingBody;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives source-signed readings from smart bins over CoAP ({@code POST /hp/v1/readings}, the
 * drivers' Californium receiver), and logs each verified one as a {@code reading} entry carrying
 * the node's COSE bytes as received. The node's signature authenticates a reading; rejected ones
 * (unknown key, replayed counter, malformed) are counted.
 */
public final class RemoteReadingsVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteReadingsVerticle.class);

  private final int coapPort;
  private final NodeRegistry nodes;
  private final EvidencePort evidence;
  private final AgentMetrics metrics;
  private final io.haulproof.drivers.reading.DriverMetrics driverMetrics =
      new io.haulproof.drivers.reading.DriverMetrics("remote");
  private CoapReadingReceiver receiver;
  private long timer = -1;
  private long seenRejects;

  public RemoteReadingsVerticle(
      int coapPort, NodeRegistry nodes, EvidencePort evidence, AgentMetrics metrics) {
    this.coapPort = coapPort;
    this.nodes = nodes;
    this.evidence = evidence;
    this.metrics = metrics;
  }

  @Override
  public void start(Promise<Void> started) {
    NodeReadingVerifier verifier = new NodeReadingVerifier(nodes, Stamp::now, driverMetrics);
    vertx
        .<CoapReadingReceiver>executeBlocking(
            () ->
                CoapReadingReceiver.start(
                    new CoapReceiverOptions(
                        new InetSocketAddress(coapPort), null, Map.of(), null, List.of()),
                    verifier,
                    m -> context.runOnContext(x -> log(m))))
        .onSuccess(
            r -> {
              receiver = r;
              timer = vertx.setPeriodic(1000, id -> mirrorRejects());
              started.complete();
            })
        .onFailure(
            e ->
                started.fail(
                    new IllegalStateException(
                        "CoAP receiver on port " + coapPort + ": " + e.getMessage(), e)));
  }

  private void log(VerifiedNodeMessage m) {
    metrics.reading("remote");
    Future.fromCompletionStage(
            evidence.appendBody(new ReadingBody(m.nodeId(), m.kid(), m.cose())), context)
        .onSuccess(a -> metrics.entry("reading"))
        .onFailure(e -> LOG.error("reading from node {} not logged: {}", m.nodeId(), e.toString()));
  }

  private void mirrorRejects() {
    long total = driverMetrics.rejectedTotal();
    while (seenRejects < total) {
      metrics.reject("remote");
      seenRejects++;
    }
  }

  /** The UDP port the receiver listens on (useful with port 0). */
  public int coapPort() {
    return receiver == null ? -1 : receiver.coapPort();
  }

  @Override
  public void stop(Promise<Void> stopped) {
    vertx.cancelTimer(timer);
    if (receiver == null) {
      stopped.complete();
      return;
    }
    vertx
        .<Void>executeBlocking(
            () -> {
              receiver.close();
              return null;
            })
        .onComplete(stopped);
  }
}
