package io.haulproof.agent.mgmt.mqtt;

import io.haulproof.agent.mgmt.ManagementService;
import io.haulproof.agent.mgmt.MgmtException;
import io.haulproof.agent.mgmt.MgmtResponse;
import io.haulproof.agent.mgmt.RejectReason;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.agent.provision.EnrollmentException;
import io.haulproof.agent.provision.TrustException;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's MQTT side of provisioning and management, over uplink's {@link ConnectionSupervisor}
 * (reconnects forever, deadlines on every operation): answers {@code mgmt/req} on the response
 * topic the request names (MQTT 5 request/response, correlation data echoed), and, until enrolled,
 * publishes {@code enroll/req} (retained, so a technician who connects later still sees it, and
 * again after every reconnect) and takes {@code enroll/res}.
 *
 * <p>The client thread only hands messages to one ordered worker thread; all checking, fsync and
 * log waits run there. Security guarantees: a response topic outside {@code
 * haulproof/v1/{fleet}/{device}/mgmt/res} is ignored (the default topic is used), so a forged
 * request cannot make the device publish onto other topics.
 */
public final class MqttManagementEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttManagementEndpoint.class);
  private static final long PUBLISH_WAIT_SECONDS = 60;

  private final ConnectionSupervisor mqtt;
  private final boolean ownsConnection;
  private final ManagementService service;
  private final DeviceRef ref;
  private final Optional<Enroller> enroller;
  private final ExecutorService worker;
  private final java.util.concurrent.CountDownLatch subscribed =
      new java.util.concurrent.CountDownLatch(1);

  /**
   * An endpoint with its own connection to the broker in {@code settings} (the truck's local
   * broker).
   */
  public MqttManagementEndpoint(
      MqttSettings settings, ManagementService service, Optional<Enroller> enroller) {
    this(new ConnectionSupervisor(new PahoTransport(), settings), true, service, enroller);
  }

  /** An endpoint on a connection the runtime already supervises; {@link #close} leaves it open. */
  public MqttManagementEndpoint(
      ConnectionSupervisor shared, ManagementService service, Optional<Enroller> enroller) {
    this(shared, false, service, enroller);
  }

  private MqttManagementEndpoint(
      ConnectionSupervisor mqtt,
      boolean owns,
      ManagementService service,
      Optional<Enroller> enroller) {
    this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
    this.ownsConnection = owns;
    this.service = Objects.requireNonNull(service, "service");
    this.ref = service.identity().ref();
    this.enroller = Objects.requireNonNull(enroller, "enroller");
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "haulproof-mgmt-" + ref.device());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Registers the subscriptions and, if this endpoint owns its connection, starts connecting.
   * Returns at once: an offline truck keeps retrying in the background.
   */
  public void start() {
    mqtt.subscribe(ref.topic("mgmt/req"), 1, m -> worker.execute(() -> onRequest(m)));
    mqtt.onConnected(subscribed::countDown);
    if (enroller.isPresent() && !service.identity().enrolled()) {
      mqtt.subscribe(ref.topic("enroll/res"), 1, m -> worker.execute(() -> onEnrollResponse(m)));
      mqtt.onConnected(() -> worker.execute(this::publishEnrollRequest));
    }
    if (ownsConnection) {
      mqtt.start();
    } else if (mqtt.isConnected() && enroller.isPresent() && !service.identity().enrolled()) {
      worker.execute(this::publishEnrollRequest);
    }
  }

  public boolean connected() {
    return mqtt.isConnected();
  }

  /**
   * Waits until a connection with active subscriptions exists (for tests and readiness checks; the
   * agent itself never needs to wait, requests are answered whenever the connection is up).
   */
  public boolean awaitSubscribed(java.time.Duration timeout) throws InterruptedException {
    return subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)
        || (!ownsConnection && mqtt.isConnected());
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("management worker still busy after 30 s at close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsConnection) {
      mqtt.close();
    }
  }

  private void publishEnrollRequest() {
    if (service.identity().enrolled()) {
      return;
    }
    send(
        new MqttMessage(
            ref.topic("enroll/req"),
            enroller.orElseThrow().request(),
            1,
            true,
            List.of(),
            null,
            null));
  }

  private void onRequest(MqttMessage msg) {
    ManagementService.Handled h = service.handle(msg.payload());
    String topic = ref.topic("mgmt/res");
    String asked = msg.responseTopic();
    if (asked != null && (asked.equals(topic) || asked.startsWith(topic + "/"))) {
      topic = asked;
    } else if (asked != null) {
      LOG.warn(
          "mgmt request asked for response topic {} outside {}; answering on the default",
          asked,
          topic);
    }
    send(response(topic, h.response(), msg.correlationData()));
    h.after().ifPresent(Runnable::run);
  }

  private void onEnrollResponse(MqttMessage msg) {
    if (service.identity().enrolled() || enroller.isEmpty()) {
      return;
    }
    MgmtResponse answer;
    try {
      Optional<MgmtResponse> initial = service.acceptEnrollment(enroller.get(), msg.payload());
      send(
          new MqttMessage(
              ref.topic("enroll/req"),
              Bytes.EMPTY,
              1,
              true,
              List.of(),
              null,
              null)); // clear retained
      Map<String, Object> result = new java.util.LinkedHashMap<>();
      result.put("enrolled", true);
      result.put("kid", service.identity().activeKey().kid().toHex());
      initial.ifPresent(r -> result.put("config", r.toMap()));
      answer = new MgmtResponse(ref.device(), "enroll", -1, null, null, result);
    } catch (EnrollmentException e) {
      answer =
          MgmtResponse.rejected(
              ref.device(),
              "enroll",
              -1,
              new MgmtException(RejectReason.MALFORMED, e.getMessage()));
    } catch (TrustException e) {
      answer =
          MgmtResponse.rejected(
              ref.device(),
              "enroll",
              -1,
              new MgmtException(RejectReason.UNTRUSTED_SIGNER, e.getMessage()));
    } catch (Exception e) {
      answer =
          MgmtResponse.rejected(
              ref.device(),
              "enroll",
              -1,
              new MgmtException(
                  RejectReason.APPLY_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    send(response(ref.topic("mgmt/res"), answer, null));
  }

  private static MqttMessage response(String topic, MgmtResponse res, Bytes correlation) {
    return new MqttMessage(
        topic,
        res.toJson(),
        1,
        false,
        List.of(
            new MqttMessage.UserProperty("status", res.ok() ? "ok" : "rejected"),
            new MqttMessage.UserProperty("reason", res.ok() ? "none" : res.reason().name())),
        null,
        correlation);
  }

  /**
   * Publishes and waits for the PUBACK (we are on the worker thread); a lost answer is logged,
   * never retried.
   */
  private void send(MqttMessage m) {
    try {
      mqtt.publish(m).get(PUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "could not publish on {}: {}",
          m.topic(),
          e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
