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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's MQTT side of provisioning and management: answers {@code mgmt/req} on the response topic the request
 * names (MQTT 5 request/response, correlation data echoed), and, until enrolled, publishes {@code enroll/req}
 * (retained, so a technician who connects later still sees it) and takes {@code enroll/res}.
 *
 * <p>Paho's callback thread only hands messages to one ordered worker thread; all checking, fsync and log waits run
 * there. Security guarantees: a response topic outside {@code haulproof/v1/{fleet}/{device}/mgmt/res} is ignored
 * (the default topic is used), so a forged request cannot make the device publish onto other topics.
 */
public final class MqttManagementEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttManagementEndpoint.class);

  private final BrokerSettings broker;
  private final ManagementService service;
  private final DeviceRef ref;
  private final Optional<Enroller> enroller;
  private final ExecutorService worker;
  private MqttClient client;

  /**
   * @param enroller present while the device is not enrolled; used to publish {@code enroll/req} and check {@code
   *     enroll/res}
   */
  public MqttManagementEndpoint(BrokerSettings broker, ManagementService service, Optional<Enroller> enroller) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.service = Objects.requireNonNull(service, "service");
    this.ref = service.identity().ref();
    this.enroller = Objects.requireNonNull(enroller, "enroller");
    this.worker =
        Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "haulproof-mgmt-" + ref.device());
          t.setDaemon(true);
          return t;
        });
  }

  /** Connects, subscribes and (if not enrolled) publishes the enrollment request; blocks until done. */
  public synchronized void start() throws MqttException {
    client = PahoSupport.client(broker);
    client.setCallback(new Callback());
    client.connect(PahoSupport.options(broker, true));
    subscribe();
  }

  private void subscribe() throws MqttException {
    client.subscribe(ref.topic("mgmt/req"), 1);
    if (enroller.isPresent() && !service.identity().enrolled()) {
      client.subscribe(ref.topic("enroll/res"), 1);
      MqttMessage m = new MqttMessage(enroller.get().request().toByteArray());
      m.setQos(1);
      m.setRetained(true);
      client.publish(ref.topic("enroll/req"), m);
    }
  }

  public synchronized boolean connected() {
    return client != null && client.isConnected();
  }

  @Override
  public synchronized void close() throws MqttException {
    worker.shutdown();
    try {
      worker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (client != null) {
      if (client.isConnected()) {
        client.disconnect(10_000);
      }
      client.close();
    }
  }

  private void onRequest(MqttMessage msg) {
    ManagementService.Handled h = service.handle(Bytes.wrap(msg.getPayload()));
    MqttProperties in = msg.getProperties();
    String topic = ref.topic("mgmt/res");
    String asked = in == null ? null : in.getResponseTopic();
    if (asked != null && (asked.equals(topic) || asked.startsWith(topic + "/"))) {
      topic = asked;
    } else if (asked != null) {
      LOG.warn("mgmt request asked for response topic {} outside {}; answering on the default", asked, topic);
    }
    publish(topic, h.response(), in == null ? null : in.getCorrelationData());
    h.after().ifPresent(Runnable::run);
  }

  private void onEnrollResponse(MqttMessage msg) {
    if (service.identity().enrolled() || enroller.isEmpty()) {
      return;
    }
    MgmtResponse answer;
    try {
      Optional<MgmtResponse> initial = service.acceptEnrollment(enroller.get(), Bytes.wrap(msg.getPayload()));
      client.publish(ref.topic("enroll/req"), new byte[0], 1, true); // clear the retained request
      client.unsubscribe(ref.topic("enroll/res"));
      answer =
          initial
              .map(r -> new MgmtResponse(ref.device(), "enroll", r.version(), r.reason(), r.detail(), r.result()))
              .orElse(new MgmtResponse(ref.device(), "enroll", -1, null, null, java.util.Map.of("enrolled", true)));
    } catch (EnrollmentException e) {
      answer = MgmtResponse.rejected(ref.device(), "enroll", -1, new MgmtException(RejectReason.MALFORMED, e.getMessage()));
    } catch (TrustException e) {
      answer =
          MgmtResponse.rejected(ref.device(), "enroll", -1, new MgmtException(RejectReason.UNTRUSTED_SIGNER, e.getMessage()));
    } catch (Exception e) {
      answer = MgmtResponse.rejected(
          ref.device(), "enroll", -1, new MgmtException(RejectReason.APPLY_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    publish(ref.topic("mgmt/res"), answer, null);
  }

  private void publish(String topic, MgmtResponse res, byte[] correlation) {
    MqttMessage out = new MqttMessage(res.toJson().toByteArray());
    out.setQos(1);
    MqttProperties p = new MqttProperties();
    p.setContentType("application/json");
    if (correlation != null) {
      p.setCorrelationData(correlation);
    }
    p.setUserProperties(List.of(
        new UserProperty("status", res.ok() ? "ok" : "rejected"),
        new UserProperty("reason", res.ok() ? "none" : res.reason().name())));
    out.setProperties(p);
    try {
      client.publish(topic, out);
    } catch (MqttException e) {
      LOG.warn("could not publish the management response on {}: {}", topic, e.getMessage());
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (topic.equals(ref.topic("mgmt/req"))) {
        worker.execute(() -> onRequest(message));
      } else if (topic.equals(ref.topic("enroll/res"))) {
        worker.execute(() -> onEnrollResponse(message));
      }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        worker.execute(() -> {
          try {
            subscribe();
          } catch (MqttException e) {
            LOG.warn("re-subscribing after reconnect to {} failed: {}", serverUri, e.getMessage());
          }
        });
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      LOG.info("management connection lost: {}", response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.warn("management MQTT error: {}", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
