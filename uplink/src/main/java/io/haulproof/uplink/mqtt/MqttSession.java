package io.haulproof.uplink.mqtt;

import java.util.concurrent.CompletableFuture;

/**
 * One live MQTT 5 connection. Methods never block; futures complete from the client's threads.
 *
 * <p>A session is not reconnected by itself: when it is lost, {@link MqttTransport.Listener#onLost}
 * fires once and the {@link ConnectionSupervisor} builds a new one.
 */
public interface MqttSession extends AutoCloseable {
  /**
   * Publishes; for QoS 1 the future completes when the PUBACK arrives with a success reason code,
   * and fails with {@link MqttRejectedException} on an error reason code (e.g. 0x87 not
   * authorized).
   */
  CompletableFuture<Void> publish(MqttMessage message);

  /** Subscribes; completes on SUBACK with a granted QoS, fails if the broker refused. */
  CompletableFuture<Void> subscribe(String filter, int qos);

  boolean isConnected();

  /**
   * Nanoseconds ({@link System#nanoTime()} scale) since the broker last showed this session that it
   * is alive: a message, PUBACK or SUBACK received. {@link Long#MAX_VALUE} if that is not known, so
   * a deadline on such a session fires as it always did.
   */
  default long nanosSinceInbound() {
    return Long.MAX_VALUE;
  }

  /**
   * A one-line account of what is outstanding on this session (publishes in flight and waiting,
   * inbound messages not yet acknowledged), for the log line when a deadline fires.
   */
  default String describe() {
    return "";
  }

  /**
   * Drops the connection at once without waiting for the broker; safe to call on a hung client,
   * never blocks long.
   */
  @Override
  void close();
}
