package io.haulproof.drivers.remote.mqtt;

import io.haulproof.drivers.remote.NodeMessageSink;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.ReadingRejectedException;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes (MQTT 5, QoS 1, Paho) to {@code haulproof/v1/{fleet}/nodes/+/readings} and passes
 * every message through the same {@link NodeReadingVerifier} as the CoAP receiver; the node named
 * in the topic must be the key's owner. Refused messages are counted in the verifier's metrics and
 * dropped.
 */
public final class MqttReadingReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttReadingReceiver.class);

  private final MqttAsyncClient client;
  private final String filter;

  private MqttReadingReceiver(MqttAsyncClient client, String filter) {
    this.client = client;
    this.filter = filter;
  }

  /** The subscription filter for a fleet. */
  public static String topicFilter(String fleet) {
    if (fleet.isEmpty() || fleet.contains("/") || fleet.contains("+") || fleet.contains("#")) {
      throw new IllegalArgumentException(
          "fleet '" + fleet + "' must be one topic level without wildcards");
    }
    return "haulproof/v1/" + fleet + "/nodes/+/readings";
  }

  /**
   * Connects with a clean session and 30 s keep-alive (no TLS, no credentials: a broker on the
   * gateway itself) and subscribes, as {@link #start(String, String, String, MqttConnectionOptions,
   * NodeReadingVerifier, NodeMessageSink)}; for callers that must not see Paho types.
   */
  public static MqttReadingReceiver start(
      String serverUri,
      String clientId,
      String fleet,
      NodeReadingVerifier verifier,
      NodeMessageSink sink)
      throws MqttException {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(10);
    return start(serverUri, clientId, fleet, options, verifier, sink);
  }

  /**
   * Connects and subscribes; returns once the first subscription is acknowledged. Reconnects
   * automatically and subscribes again after each reconnect.
   *
   * @param options connection options (TLS, credentials); automatic reconnect is switched on
   */
  public static MqttReadingReceiver start(
      String serverUri,
      String clientId,
      String fleet,
      MqttConnectionOptions options,
      NodeReadingVerifier verifier,
      NodeMessageSink sink)
      throws MqttException {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(sink, "sink");
    String filter = topicFilter(fleet);
    MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
    MqttReadingReceiver r = new MqttReadingReceiver(client, filter);
    client.setCallback(new Callback(r, verifier, sink));
    options.setAutomaticReconnect(true);
    try {
      client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(30));
      r.subscribe().waitForCompletion(TimeUnit.SECONDS.toMillis(30));
    } catch (MqttException | RuntimeException e) {
      try {
        r.close();
      } catch (MqttException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return r;
  }

  private IMqttToken subscribe() throws MqttException {
    return client.subscribe(
        new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, new MqttProperties());
  }

  /** The node id from {@code haulproof/v1/{fleet}/nodes/{node}/readings}. */
  public static String nodeOf(String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 6
        || !parts[3].equals("nodes")
        || !parts[5].equals("readings")
        || parts[4].isEmpty()) {
      throw new IllegalArgumentException(
          "topic '" + topic + "' is not haulproof/v1/{fleet}/nodes/{node}/readings");
    }
    return parts[4];
  }

  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(10));
      }
    } finally {
      client.close(true);
    }
  }

  private static final class Callback implements MqttCallback {
    private final MqttReadingReceiver receiver;
    private final NodeReadingVerifier verifier;
    private final NodeMessageSink sink;

    Callback(MqttReadingReceiver receiver, NodeReadingVerifier verifier, NodeMessageSink sink) {
      this.receiver = receiver;
      this.verifier = verifier;
      this.sink = sink;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      String node;
      try {
        node = nodeOf(topic);
      } catch (IllegalArgumentException e) {
        verifier.metrics().rejected("topic");
        return;
      }
      VerifiedNodeMessage v;
      try {
        v = verifier.verify(message.getPayload(), node);
      } catch (ReadingRejectedException e) {
        LOG.debug("node reading on {} refused: {}", topic, e.getMessage());
        return;
      }
      sink.accept(v);
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        try {
          receiver.subscribe();
        } catch (MqttException e) {
          LOG.warn("resubscribe to {} after reconnect failed: {}", receiver.filter, e.toString());
        }
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      LOG.info("node readings MQTT disconnected: {}", response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.warn("node readings MQTT error: {}", exception.toString());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
