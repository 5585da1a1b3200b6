package io.haulproof.agent.mgmt.mqtt;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The technician tool's MQTT client over uplink's {@link ConnectionSupervisor}: subscribes to a
 * fixed set of topics before the first message can arrive, waits for a device's messages, and sends
 * MQTT 5 requests with a response topic and random correlation data, matching the answer by
 * correlation data.
 */
public final class MqttTechnicianClient implements AutoCloseable {
  /** A received message: its payload and correlation data (empty if none). */
  public record Received(String topic, Bytes payload, Bytes correlation) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final ConnectionSupervisor mqtt;
  private final Map<String, BlockingQueue<Received>> queues = new ConcurrentHashMap<>();

  private MqttTechnicianClient(ConnectionSupervisor mqtt) {
    this.mqtt = mqtt;
  }

  /**
   * Connects and subscribes to {@code topics} (retained messages included); returns once the
   * subscriptions are active.
   *
   * @throws IOException naming the broker and the last error (refused, TLS handshake, host name
   *     mismatch) if it could not connect within {@code timeout}
   */
  public static MqttTechnicianClient connect(
      MqttSettings settings, List<String> topics, Duration timeout)
      throws IOException, InterruptedException {
    ConnectionSupervisor sup = new ConnectionSupervisor(new PahoTransport(), settings);
    MqttTechnicianClient c = new MqttTechnicianClient(sup);
    for (String t : topics) {
      BlockingQueue<Received> q = new LinkedBlockingQueue<>();
      c.queues.put(t, q);
      sup.subscribe(
          t,
          1,
          m -> {
            if (!m.payload().isEmpty()) {
              q.add(
                  new Received(
                      m.topic(),
                      m.payload(),
                      m.correlationData() == null ? Bytes.EMPTY : m.correlationData()));
            }
          });
    }
    CompletableFuture<Void> connected = new CompletableFuture<>();
    sup.onConnected(() -> connected.complete(null));
    sup.start();
    try {
      connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      String last = sup.lastError();
      sup.close();
      throw new IOException(
          "cannot connect to "
              + settings.serverUri()
              + " within "
              + timeout.toSeconds()
              + " s: "
              + (last.isEmpty() ? "no answer" : last),
          e);
    }
    return c;
  }

  /** Waits for the next message on a subscribed topic that satisfies {@code accept}. */
  public Optional<Received> await(String topic, Duration timeout, Predicate<Received> accept)
      throws InterruptedException {
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

  public void publish(String topic, Bytes payload) throws IOException, InterruptedException {
    send(MqttMessage.of(topic, payload));
  }

  /**
   * Publishes {@code payload} with response topic {@code responseTopic} (which must be one of the
   * subscribed topics) and fresh correlation data, and waits for the answer carrying that
   * correlation data.
   */
  public Optional<Received> request(
      String topic, Bytes payload, String responseTopic, Duration timeout)
      throws IOException, InterruptedException {
    byte[] corr = new byte[16];
    RANDOM.nextBytes(corr);
    Bytes want = Bytes.wrap(corr);
    send(MqttMessage.of(topic, payload).withResponse(responseTopic, want));
    return await(responseTopic, timeout, r -> r.correlation().equals(want));
  }

  private void send(MqttMessage m) throws IOException, InterruptedException {
    try {
      mqtt.publish(m).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(
          "publishing on " + m.topic() + " failed: " + (e.getCause() != null ? e.getCause() : e),
          e);
    }
  }

  @Override
  public void close() {
    mqtt.close();
  }
}
