package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.drivers.remote.coap.CoapReadingReceiver;
import io.haulproof.drivers.remote.coap.CoapReceiverOptions;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.ReadingBody;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives source-signed readings from smart bins over CoAP and CoAP over DTLS (PSK) ({@code POST
 * /hp/v1/readings}, the drivers' Californium receiver) and over MQTT ({@code
 * haulproof/v1/{fleet}/nodes/+/readings}, on the uplink's connection supervisor), and logs each
 * verified one as a {@code reading} entry carrying the node's COSE bytes as received. The node's
 * signature authenticates a reading; rejected ones (unknown key, replayed counter, malformed) are
 * counted.
 *
 * <p>The MQTT receiver runs on uplink's {@link io.haulproof.uplink.mqtt.ConnectionSupervisor}
 * ({@link NodeReadingsSubscriber}) like the uplink: a broker that is not up yet does not fail
 * startup; connects and subscriptions have deadlines, a hung client is recreated, reconnects back
 * off with jitter.
 */
public final class RemoteReadingsVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteReadingsVerticle.class);

  /**
   * Which receivers to run.
   *
   * @param coapPort plain CoAP UDP port (0 for any free one), or null for none
   * @param coapsPort CoAP over DTLS UDP port (0 for any free one), or null for none
   * @param pskKeys DTLS PSK identities and keys; required with {@code coapsPort}
   * @param mqtt the local broker's settings (URL, client id, TLS, credentials), or null for no MQTT
   *     receiver
   * @param fleet the fleet in the MQTT topic filter
   */
  public record Receivers(
      Integer coapPort,
      Integer coapsPort,
      Map<String, byte[]> pskKeys,
      MqttSettings mqtt,
      String fleet) {
    public Receivers {
      pskKeys = Map.copyOf(Objects.requireNonNull(pskKeys, "pskKeys"));
      if (coapPort == null && coapsPort == null && mqtt == null) {
        throw new IllegalArgumentException("want a coap port, a coaps port or an MQTT broker");
      }
      if (coapsPort != null && pskKeys.isEmpty()) {
        throw new IllegalArgumentException("coaps port " + coapsPort + " needs PSK keys");
      }
      if (mqtt != null) {
        Objects.requireNonNull(fleet, "fleet");
      }
    }

    /** Plain CoAP only. */
    public static Receivers coap(int port) {
      return new Receivers(port, null, Map.of(), null, null);
    }
  }

  private final Receivers receivers;
  private final NodeRegistry nodes;
  private final EvidencePort evidence;
  private final AgentMetrics metrics;
  private final DriverMetrics driverMetrics = new DriverMetrics("remote");
  private NodeReadingVerifier verifier;
  private CoapReadingReceiver coap;
  private NodeReadingsSubscriber mqtt;
  private long timer = -1;
  private long seenRejects;

  public RemoteReadingsVerticle(
      int coapPort, NodeRegistry nodes, EvidencePort evidence, AgentMetrics metrics) {
    this(Receivers.coap(coapPort), nodes, evidence, metrics);
  }

  public RemoteReadingsVerticle(
      Receivers receivers, NodeRegistry nodes, EvidencePort evidence, AgentMetrics metrics) {
    this.receivers = Objects.requireNonNull(receivers, "receivers");
    this.nodes = nodes;
    this.evidence = evidence;
    this.metrics = metrics;
  }

  @Override
  public void start(Promise<Void> started) {
    verifier = new NodeReadingVerifier(nodes, Stamp::now, driverMetrics);
    timer = vertx.setPeriodic(1000, id -> mirrorRejects());
    vertx
        .executeBlocking(this::restoreCounters)
        .onSuccess(
            n -> {
              LOG.info("smart-bin replay counters of {} nodes restored from the log", n);
              startReceivers(started);
            })
        .onFailure(
            e ->
                started.fail(
                    new IllegalStateException(
                        "cannot restore smart-bin replay counters from the log: " + e.getMessage(),
                        e)));
  }

  /**
   * Rebuilds every node's last accepted counter from the {@code reading} entries in the log (the
   * counters are derived state: the log holds exactly the readings that were acknowledged), so a
   * reading replayed after a restart is refused. Returns the number of nodes seen.
   */
  private int restoreCounters() throws Exception {
    java.util.Set<String> seen = new java.util.HashSet<>();
    evidence.forEachReading(
        r -> {
          long counter;
          try {
            counter = NodePayload.decode(CoseSign1.decode(r.nodeCose()).payload()).counter();
          } catch (RuntimeException e) {
            LOG.warn(
                "reading entry of node {} has no readable counter: {}", r.nodeId(), e.toString());
            return;
          }
          nodes.restoreCounter(r.nodeId(), counter);
          seen.add(r.nodeId());
        });
    return seen.size();
  }

  private void startReceivers(Promise<Void> started) {
    if (receivers.mqtt() != null) {
      mqtt =
          NodeReadingsSubscriber.overPaho(
              receivers.mqtt(), receivers.fleet(), verifier, this::store);
      mqtt.start();
    }
    if (receivers.coapPort() == null && receivers.coapsPort() == null) {
      started.complete();
      return;
    }
    vertx
        .<CoapReadingReceiver>executeBlocking(
            () ->
                CoapReadingReceiver.start(
                    new CoapReceiverOptions(
                        address(receivers.coapPort()),
                        address(receivers.coapsPort()),
                        receivers.pskKeys(),
                        null,
                        List.of()),
                    verifier,
                    this::store))
        .onSuccess(
            r -> {
              coap = r;
              started.complete();
            })
        .onFailure(
            e ->
                started.fail(
                    new IllegalStateException(
                        "CoAP receiver on port "
                            + (receivers.coapPort() == null ? "-" : receivers.coapPort())
                            + ", CoAP/DTLS on port "
                            + (receivers.coapsPort() == null ? "-" : receivers.coapsPort())
                            + ": "
                            + e.getMessage(),
                        e)));
  }

  private static InetSocketAddress address(Integer port) {
    return port == null ? null : new InetSocketAddress(port);
  }

  /**
   * The receivers' sink (their threads): logs the reading on this verticle's context; the stage
   * completes once the entry is durable, so the receiver acknowledges the node only then.
   */
  private CompletionStage<Void> store(VerifiedNodeMessage m) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(x -> log(m, done));
    return done;
  }

  private void log(VerifiedNodeMessage m, CompletableFuture<Void> done) {
    metrics.reading("remote");
    // appendBody signs the entry (a PKCS#11 token may take tens of ms), checks the disk reserve
    // (statvfs) and takes the log's lock before it returns: on a worker, never the event loop
    context
        .executeBlocking(
            () -> evidence.appendBody(new ReadingBody(m.nodeId(), m.kid(), m.cose())), true)
        .compose(appended -> Future.fromCompletionStage(appended, context))
        .onSuccess(
            a -> {
              metrics.entry("reading");
              done.complete(null);
            })
        .onFailure(
            e -> {
              LOG.error("reading from node {} not logged: {}", m.nodeId(), e.toString());
              done.completeExceptionally(e);
            });
  }

  private void mirrorRejects() {
    long total = driverMetrics.rejectedTotal();
    while (seenRejects < total) {
      metrics.reject("remote");
      seenRejects++;
    }
  }

  /** The UDP port the plain CoAP receiver listens on (useful with port 0), or -1. */
  public int coapPort() {
    return coap == null || receivers.coapPort() == null ? -1 : coap.coapPort();
  }

  /** The UDP port the CoAP over DTLS receiver listens on (useful with port 0), or -1. */
  public int coapsPort() {
    return coap == null || receivers.coapsPort() == null ? -1 : coap.coapsPort();
  }

  /** Whether the MQTT receiver is connected and subscribed. */
  public boolean mqttSubscribed() {
    NodeReadingsSubscriber m = mqtt;
    return m != null && m.subscribed();
  }

  private void closeMqtt() {
    NodeReadingsSubscriber m = mqtt;
    if (m != null) {
      m.close();
    }
  }

  @Override
  public void stop(Promise<Void> stopped) {
    vertx.cancelTimer(timer);
    vertx
        .<Void>executeBlocking(
            () -> {
              closeMqtt();
              if (coap != null) {
                coap.close();
              }
              return null;
            })
        .onComplete(stopped);
  }
}
