package io.haulproof.uplink.mqtt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Creates MQTT 5 sessions; the only implementation outside tests is {@link PahoTransport}. */
public interface MqttTransport {
  /**
   * Receives what a session reports; called on client threads, so implementations only hand work
   * off.
   */
  interface Listener {
    /**
     * An inbound message. The broker's PUBACK is sent when the returned stage completes normally,
     * so a handler that stores the message before completing it gets at-least-once delivery; a
     * failed stage, or throwing, drops the connection and the broker redelivers. Work that takes
     * long is handed off and completes the stage later: the client's thread returns at once.
     */
    CompletionStage<Void> onMessage(MqttMessage message) throws Exception;

    /** The connection was lost after it had been established. */
    void onLost(Throwable cause);
  }

  /**
   * Starts connecting. The future completes on CONNACK; it may never complete if the network
   * stalls, which is why callers (the {@link ConnectionSupervisor}) put their own deadline on it
   * and then call {@link PendingConnect#abandon()}.
   */
  PendingConnect connect(MqttSettings settings, Listener listener);

  /** A connect in progress. */
  interface PendingConnect {
    CompletableFuture<MqttSession> session();

    /** Gives up on this attempt and frees the client behind it. */
    void abandon();
  }
}
