package io.haulproof.agent.mgmt.mqtt;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Paho client construction shared by the agent endpoint and the technician client. */
final class PahoSupport {
  private PahoSupport() {}

  static MqttClient client(BrokerSettings s) throws MqttException {
    return new MqttClient(s.url(), s.clientId(), new MemoryPersistence());
  }

  static MqttConnectionOptions options(BrokerSettings s, boolean reconnect) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setAutomaticReconnect(reconnect);
    o.setConnectionTimeout(30);
    o.setKeepAliveInterval(30);
    s.tls().ifPresent(o::setSocketFactory);
    o.setHttpsHostnameVerificationEnabled(true);
    s.username().ifPresent(o::setUserName);
    s.password().ifPresent(p -> o.setPassword(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return o;
  }
}
