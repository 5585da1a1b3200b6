package io.haulproof.uplink.mqtt;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Paho {@code MqttAsyncClient} seen as an {@link MqttSession}; package-private glue for {@link
 * PahoTransport}.
 */
final class PahoSession implements MqttSession, MqttCallback {
  private static final Logger LOG = LoggerFactory.getLogger(PahoSession.class);

  private final MqttAsyncClient client;
  private final MqttTransport.Listener listener;
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Messages handed to the listener and not yet acknowledged. When the session goes, they are
   * cancelled: the broker redelivers them on the next session, and work queued for a dead session
   * would only pile up (one in-flight window more per reconnect) and be done twice.
   */
  private final java.util.Set<java.util.concurrent.CompletableFuture<Void>> unacked =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  PahoSession(MqttAsyncClient client, MqttTransport.Listener listener) {
    this.client = client;
    this.listener = listener;
  }

  /** QoS 1 and 2 publishes beyond the broker's Receive Maximum wait here; set on connect. */
  private volatile PublishWindow window;

  /**
   * @param receiveMaximum the broker's Receive Maximum from its CONNACK (65,535 if it sent none)
   */
  void markConnected(int receiveMaximum) {
    window = new PublishWindow(receiveMaximum);
    inbound(); // the CONNACK
    connected.set(true);
  }

  /** When the broker last sent this session anything (System.nanoTime()); 0 before the CONNACK. */
  private volatile long lastInbound;

  private void inbound() {
    lastInbound = System.nanoTime();
  }

  @Override
  public long nanosSinceInbound() {
    long last = lastInbound;
    return last == 0 ? Long.MAX_VALUE : System.nanoTime() - last;
  }

  /** QoS 1 and 2 publishes handed to Paho and not yet acknowledged, with when each was handed. */
  private final java.util.Map<CompletableFuture<Void>, Long> onWire =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** QoS 1 and 2 publishes waiting in the window, with when each was submitted. */
  private final java.util.Map<CompletableFuture<Void>, Long> inWindow =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.concurrent.atomic.LongAdder acked =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.AtomicLong maxWireNanos =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong maxWaitNanos =
      new java.util.concurrent.atomic.AtomicLong();

  @Override
  public CompletableFuture<Void> publish(MqttMessage message) {
    PublishWindow w = window;
    if (message.qos() == 0 || w == null) {
      return send(message); // QoS 0 has no window; before the connect, Paho refuses it
    }
    long submitted = System.nanoTime();
    CompletableFuture<Void> waitKey = new CompletableFuture<>();
    inWindow.put(waitKey, submitted);
    CompletableFuture<Void> result =
        w.submit(
            () -> {
              long started = System.nanoTime();
              inWindow.remove(waitKey);
              maxWaitNanos.accumulateAndGet(started - submitted, Math::max);
              CompletableFuture<Void> f = send(message);
              onWire.put(f, started);
              f.whenComplete(
                  (v, ex) -> {
                    onWire.remove(f);
                    if (ex == null) {
                      acked.increment();
                      maxWireNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                    }
                  });
              return f;
            });
    result.whenComplete((v, ex) -> inWindow.remove(waitKey));
    return result;
  }

  @Override
  public String describe() {
    long now = System.nanoTime();
    long oldestWire = onWire.values().stream().mapToLong(t -> now - t).max().orElse(0);
    long oldestWait = inWindow.values().stream().mapToLong(t -> now - t).max().orElse(0);
    PublishWindow w = window;
    int pahoInFlight = -1;
    int pahoTokens = -1;
    try {
      pahoInFlight = client.getInFlightMessageCount();
      pahoTokens = client.getPendingTokens().length;
    } catch (RuntimeException e) {
      LOG.debug("paho state of {}: {}", client.getClientId(), e.toString());
    }
    return String.format(
        "window %s; on the wire %d (oldest %d ms), waiting %d (oldest %d ms); acked %d"
            + " (longest PUBACK %d ms, longest wait %d ms); Paho in flight %d, tokens %d;"
            + " inbound unacked %d, last inbound %d ms ago",
        w == null ? "none" : w.pending() + "/" + w.limit(),
        onWire.size(),
        oldestWire / 1_000_000,
        inWindow.size(),
        oldestWait / 1_000_000,
        acked.sum(),
        maxWireNanos.get() / 1_000_000,
        maxWaitNanos.get() / 1_000_000,
        pahoInFlight,
        pahoTokens,
        unacked.size(),
        lastInbound == 0 ? -1 : (now - lastInbound) / 1_000_000);
  }

  private CompletableFuture<Void> send(MqttMessage message) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    try {
      client.publish(
          message.topic(),
          toPaho(message),
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              if (message.qos() > 0) {
                inbound(); // the PUBACK
              }
              int rc = worstReason(token.getReasonCodes());
              if (rc >= 0x80) {
                f.completeExceptionally(
                    new MqttRejectedException("publish to " + message.topic(), rc));
              } else {
                f.complete(null);
              }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable ex) {
              f.completeExceptionally(translate("publish to " + message.topic(), ex));
            }
          });
    } catch (MqttException | RuntimeException e) {
      f.completeExceptionally(translate("publish to " + message.topic(), e));
    }
    return f;
  }

  @Override
  public CompletableFuture<Void> subscribe(String filter, int qos) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    try {
      client.subscribe(
          new MqttSubscription[] {subscription(filter, qos)},
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              inbound(); // the SUBACK
              int rc = worstReason(token.getReasonCodes());
              if (rc >= 0x80) {
                f.completeExceptionally(new MqttRejectedException("subscribe to " + filter, rc));
              } else {
                f.complete(null);
              }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable ex) {
              f.completeExceptionally(translate("subscribe to " + filter, ex));
            }
          },
          new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      f.completeExceptionally(translate("subscribe to " + filter, e));
    }
    return f;
  }

  /**
   * Retain Handling 1 (MQTT 5 §3.8.3.1): retained messages are sent only when the subscription is
   * new, not again when a persistent session resubscribes after a reconnect. A ledger resubscribing
   * got all of a city's retained enrollments again at every reconnect (13,505 joins for 1,000
   * trucks in one run), queued in front of the messages it was behind on.
   */
  static MqttSubscription subscription(String filter, int qos) {
    MqttSubscription sub = new MqttSubscription(filter, qos);
    sub.setRetainHandling(1);
    return sub;
  }

  @Override
  public boolean isConnected() {
    return connected.get() && !lost.get() && client.isConnected();
  }

  /**
   * True once {@link #close()} was called; a connect that completes afterwards must be dropped
   * again.
   */
  boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    forceClose();
  }

  /**
   * Drops the client now. Also used when a connect that was abandoned (Paho cannot close a client
   * that is still connecting) completes later, so no zombie client stays connected under our client
   * id.
   */
  void forceClose() {
    lost.set(true);
    cancelUnacked();
    // Paho can block in disconnect/close on a stalled socket; do it on a throw-away daemon thread.
    Thread t =
        new Thread(
            () -> {
              try {
                client.disconnectForcibly(1, 1, false);
              } catch (MqttException | RuntimeException e) {
                LOG.debug("forced disconnect of {}: {}", client.getClientId(), e.toString());
              }
              try {
                client.close(true);
              } catch (MqttException | RuntimeException e) {
                LOG.debug("close of {}: {}", client.getClientId(), e.toString());
              }
            },
            "paho-closer");
    t.setDaemon(true);
    t.start();
    try {
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cancelUnacked() {
    PublishWindow w = window;
    if (w != null) {
      w.close(new java.io.IOException("MQTT session " + client.getClientId() + " gone"));
    }
    for (java.util.concurrent.CompletableFuture<Void> f : java.util.List.copyOf(unacked)) {
      f.cancel(false);
    }
  }

  // --- MqttCallback (Paho's threads) ---

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    connected.set(false);
    cancelUnacked();
    if (lost.compareAndSet(false, true)) {
      Throwable cause =
          response.getException() != null
              ? response.getException()
              : new java.io.IOException("disconnected: " + response);
      listener.onLost(cause);
    }
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    LOG.warn("mqtt error on {}: {}", client.getClientId(), exception.toString());
  }

  /**
   * The client runs with manual acks ({@link PahoTransport}): the PUBACK goes out when the
   * listener's stage completes, from whichever thread completes it.
   */
  @Override
  public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m)
      throws Exception {
    inbound();
    java.util.concurrent.CompletableFuture<Void> done =
        listener.onMessage(fromPaho(topic, m)).toCompletableFuture();
    unacked.add(done);
    if (lost.get()) {
      done.cancel(false);
    }
    done.whenComplete(
        (v, ex) -> {
          unacked.remove(done);
          if (ex instanceof java.util.concurrent.CancellationException) {
            return; // the session went first; the broker redelivers
          }
          if (ex != null) {
            drop(new java.io.IOException("handler for " + topic + " failed: " + ex, ex));
            return;
          }
          try {
            client.messageArrivedComplete(m.getId(), m.getQos());
          } catch (MqttException | RuntimeException e) {
            drop(e);
          }
        });
  }

  /**
   * A message was not handled (or its PUBACK could not be sent): the session is reported lost, so
   * the supervisor replaces it and the broker redelivers what was not acknowledged.
   */
  private void drop(Throwable cause) {
    connected.set(false);
    cancelUnacked();
    if (!lost.compareAndSet(false, true)) {
      LOG.debug("session {} already gone: {}", client.getClientId(), cause.toString());
      return; // closed or lost before: the broker redelivers anyway
    }
    LOG.warn("dropping MQTT session {}: {}", client.getClientId(), cause.toString());
    listener.onLost(cause);
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
    // Completion is reported through each publish's own listener.
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    // Reported through the connect listener.
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
    LOG.debug("AUTH packet {} ignored", reasonCode);
  }

  // --- conversion ---

  static org.eclipse.paho.mqttv5.common.MqttMessage toPaho(MqttMessage m) {
    MqttProperties props = new MqttProperties();
    if (!m.userProperties().isEmpty()) {
      List<UserProperty> ups = new ArrayList<>();
      for (MqttMessage.UserProperty p : m.userProperties()) {
        ups.add(new UserProperty(p.key(), p.value()));
      }
      props.setUserProperties(ups);
    }
    if (m.responseTopic() != null) {
      props.setResponseTopic(m.responseTopic());
    }
    if (m.correlationData() != null) {
      props.setCorrelationData(m.correlationData().toByteArray());
    }
    return new org.eclipse.paho.mqttv5.common.MqttMessage(
        m.payload().toByteArray(), m.qos(), m.retained(), props);
  }

  static MqttMessage fromPaho(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
    MqttProperties p = m.getProperties();
    List<MqttMessage.UserProperty> ups = new ArrayList<>();
    String responseTopic = null;
    Bytes corr = null;
    if (p != null) {
      if (p.getUserProperties() != null) {
        for (UserProperty u : p.getUserProperties()) {
          ups.add(new MqttMessage.UserProperty(u.getKey(), u.getValue()));
        }
      }
      responseTopic = p.getResponseTopic();
      corr = p.getCorrelationData() != null ? Bytes.of(p.getCorrelationData()) : null;
    }
    return new MqttMessage(
        topic, Bytes.wrap(m.getPayload()), m.getQos(), m.isRetained(), ups, responseTopic, corr);
  }

  static int worstReason(int[] codes) {
    int worst = 0;
    if (codes != null) {
      for (int c : codes) {
        worst = Math.max(worst, c);
      }
    }
    return worst;
  }

  static Throwable translate(String what, Throwable ex) {
    if (ex instanceof MqttException me
        && me.getReasonCode() >= 0x80
        && me.getReasonCode() < 0x100) {
      return new MqttRejectedException(what, me.getReasonCode());
    }
    return ex;
  }
}
