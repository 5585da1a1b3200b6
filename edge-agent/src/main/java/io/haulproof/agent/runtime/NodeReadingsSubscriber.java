package io.haulproof.agent.runtime;

import io.haulproof.drivers.remote.NodeMessageSink;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.ReadingRejectedException;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.drivers.remote.mqtt.NodeReadingTopic;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.MqttTransport;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Smart-bin readings over MQTT ({@code haulproof/v1/{fleet}/nodes/+/readings}, QoS 1) on the same
 * {@link ConnectionSupervisor} as the uplink: connect and subscribe deadlines, a hung client is
 * recreated, reconnects back off with jitter, and the subscription is renewed after each connect.
 * Every message goes through the {@link NodeReadingVerifier} with the node named in the topic; a
 * refused one is counted by the verifier and dropped. This is the agent's only MQTT receive path
 * for readings ({@link NodeReadingTopic} holds the topic rules).
 */
final class NodeReadingsSubscriber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReadingsSubscriber.class);

  private final ConnectionSupervisor supervisor;
  private final String filter;
  private final NodeReadingVerifier verifier;
  private final NodeMessageSink sink;
  private volatile long subscribedGeneration = -1;

  NodeReadingsSubscriber(
      MqttTransport transport,
      MqttSettings settings,
      String fleet,
      NodeReadingVerifier verifier,
      NodeMessageSink sink) {
    this.supervisor = new ConnectionSupervisor(transport, settings);
    this.filter = NodeReadingTopic.topicFilter(fleet);
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * Over Paho, announcing {@link NodeReadingTopic#MAX_PACKET_BYTES} as its MQTT 5 Maximum Packet
   * Size, so the broker drops anything larger than a reading can be before it reaches us.
   */
  static NodeReadingsSubscriber overPaho(
      MqttSettings settings, String fleet, NodeReadingVerifier verifier, NodeMessageSink sink) {
    return new NodeReadingsSubscriber(
        new PahoTransport().withMaximumPacketSize(NodeReadingTopic.MAX_PACKET_BYTES),
        settings,
        fleet,
        verifier,
        sink);
  }

  /** Connects in the background; never blocks. */
  void start() {
    supervisor.subscribe(filter, 1, this::handle);
    supervisor.onConnected(
        () -> {
          subscribedGeneration = supervisor.connects();
          LOG.info("smart-bin MQTT receiver subscribed on {}", supervisor.serverUri());
        });
    supervisor.start();
  }

  /** Connected, and subscribed since the current connection was made. */
  boolean subscribed() {
    return supervisor.isConnected() && subscribedGeneration == supervisor.connects();
  }

  /** The last connection error, for health. */
  String lastError() {
    return supervisor.lastError();
  }

  private void handle(MqttMessage m) {
    String node;
    try {
      node = NodeReadingTopic.nodeOf(m.topic());
    } catch (IllegalArgumentException e) {
      verifier.metrics().rejected("topic");
      return;
    }
    VerifiedNodeMessage v;
    try {
      v = verifier.verify(m.payload().toByteArray(), node);
    } catch (ReadingRejectedException e) {
      LOG.debug("node reading on {} refused: {}", m.topic(), e.getMessage());
      return;
    }
    sink.accept(v)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                // not stored: give the counter back, so the node's next send of it is accepted
                verifier.release(v);
                LOG.warn("reading from node {} on {} not stored: {}", v.nodeId(), m.topic(), e);
              }
            });
  }

  @Override
  public void close() {
    supervisor.close();
  }
}
