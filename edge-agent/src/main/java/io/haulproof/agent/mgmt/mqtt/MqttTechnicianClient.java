package io.haulproof.agent.mgmt.mqtt;

import io.haulproof.lightchain.bytes.Bytes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The technician tool's MQTT client: waits for a device's messages and sends MQTT 5 requests with a response topic
 * and random correlation data, matching the answer by correlation data.
 */
public final class MqttTechnicianClient implements AutoCloseable {
  /** A received message: its payload and correlation data (empty if none). */
  public record Received(String topic, Bytes payload, Bytes correlation) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final MqttClient client;
  private final Map<String, BlockingQueue<Received>> queues = new ConcurrentHashMap<>();

  private MqttTechnicianClient(MqttClient client) {
    this.client = client;
  }

  /**
   * Connects to the broker.
   *
   * @throws java.io.IOException naming the broker and the root cause (refused, TLS handshake, host name mismatch)
   */
  public static MqttTechnicianClient connect(BrokerSettings broker) throws MqttException, java.io.IOException {
    MqttClient c = PahoSupport.client(broker);
    MqttTechnicianClient t = new MqttTechnicianClient(c);
    c.setCallback(t.new Callback());
    try {
      c.connect(PahoSupport.options(broker, false));
    } catch (MqttException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      c.close();
      throw new java.io.IOException("cannot connect to " + broker.url() + ": " + root, e);
    }
    return t;
  }

  /** Subscribes to {@code topic} (retained messages included) so later waits see everything from now on. */
  public void subscribe(String topic) throws MqttException {
    queues.computeIfAbsent(topic, k -> new LinkedBlockingQueue<>());
    client.subscribe(topic, 1);
  }

  /** Waits for the next message on a subscribed topic that satisfies {@code accept}. */
  public Optional<Received> await(String topic, Duration timeout, Predicate<Received> accept) throws InterruptedException {
    BlockingQueue<Received> q = queues.get(topic);
    if (q == null) {
      throw new IllegalStateException("not subscribed to " + topic);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Received r = q.poll(left, TimeUnit.NANOSECONDS);
      if (r != null && accept.test(r)) {
        return Optional.of(r);
      }
    }
  }

  public void publish(String topic, Bytes payload) throws MqttException {
    MqttMessage m = new MqttMessage(payload.toByteArray());
    m.setQos(1);
    client.publish(topic, m);
  }

  /**
   * Publishes {@code payload} with response topic {@code responseTopic} and fresh correlation data, and waits for the
   * answer carrying that correlation data.
   */
  public Optional<Received> request(String topic, Bytes payload, String responseTopic, Duration timeout)
      throws MqttException, InterruptedException {
    subscribe(responseTopic);
    byte[] corr = new byte[16];
    RANDOM.nextBytes(corr);
    MqttMessage m = new MqttMessage(payload.toByteArray());
    m.setQos(1);
    MqttProperties p = new MqttProperties();
    p.setResponseTopic(responseTopic);
    p.setCorrelationData(corr);
    m.setProperties(p);
    client.publish(topic, m);
    Bytes want = Bytes.wrap(corr);
    return await(responseTopic, timeout, r -> r.correlation().equals(want));
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect(10_000);
    }
    client.close();
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      BlockingQueue<Received> q = queues.get(topic);
      if (q == null || message.getPayload().length == 0) {
        return;
      }
      MqttProperties p = message.getProperties();
      byte[] corr = p == null || p.getCorrelationData() == null ? new byte[0] : p.getCorrelationData();
      q.add(new Received(topic, Bytes.wrap(Arrays.copyOf(message.getPayload(), message.getPayload().length)), Bytes.wrap(corr)));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
