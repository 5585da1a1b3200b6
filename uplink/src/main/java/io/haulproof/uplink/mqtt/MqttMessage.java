package io.haulproof.uplink.mqtt;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * One MQTT 5 application message as Haulproof uses it: topic, payload, QoS, retain flag, user
 * properties and the request/response properties (MQTT 5.0 §3.3.2.3: response topic, correlation
 * data).
 */
public record MqttMessage(
    String topic,
    Bytes payload,
    int qos,
    boolean retained,
    List<UserProperty> userProperties,
    String responseTopic,
    Bytes correlationData) {

  /** One MQTT 5 user property (MQTT 5.0 §3.3.2.3.7); keys may repeat. */
  public record UserProperty(String key, String value) {
    public UserProperty {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  public MqttMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
      throw new IllegalArgumentException(
          "bad publish topic '" + topic + "', want a non-empty name without wildcards");
    }
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("bad qos " + qos + ", want 0..2");
    }
    userProperties = List.copyOf(userProperties);
  }

  /** A QoS 1, non-retained message without properties. */
  public static MqttMessage of(String topic, Bytes payload) {
    return new MqttMessage(topic, payload, 1, false, List.of(), null, null);
  }

  public MqttMessage withUserProperties(List<UserProperty> props) {
    return new MqttMessage(topic, payload, qos, retained, props, responseTopic, correlationData);
  }

  public MqttMessage asRetained() {
    return new MqttMessage(
        topic, payload, qos, true, userProperties, responseTopic, correlationData);
  }

  public MqttMessage withResponse(String responseTopic, Bytes correlationData) {
    return new MqttMessage(
        topic, payload, qos, retained, userProperties, responseTopic, correlationData);
  }

  /**
   * The answer to this request (MQTT 5.0 §4.10 request/response): published to the request's
   * response topic with the same correlation data, QoS 1.
   *
   * @throws IllegalStateException if the request has no response topic
   */
  public MqttMessage reply(Bytes payload) {
    if (responseTopic == null) {
      throw new IllegalStateException("request on " + topic + " has no response topic");
    }
    return new MqttMessage(responseTopic, payload, 1, false, List.of(), null, correlationData);
  }

  /** The first value of user property {@code key}, or null. */
  public String userProperty(String key) {
    for (UserProperty p : userProperties) {
      if (p.key().equals(key)) {
        return p.value();
      }
    }
    return null;
  }
}
