package io.haulproof.uplink.mqtt;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * {@link MqttTransport} over Eclipse Paho's mqttv5 client 1.2.5: one {@code MqttAsyncClient} per
 * session, automatic reconnect off (the {@link ConnectionSupervisor} owns reconnecting), in-memory
 * persistence (the outbox cursor, not Paho, is what survives restarts), host name verification on
 * for TLS, {@code TCP_NODELAY} on ({@link NoDelaySockets}), and an MQTT 5 Maximum Packet Size
 * announced on every connect ({@link MqttSettings#MAX_PACKET_BYTES} unless {@link
 * #withMaximumPacketSize} says otherwise).
 */
public final class PahoTransport implements MqttTransport {
  private final int receiveMaximum;
  private final long maximumPacketBytes;

  /** A transport that announces no Receive Maximum (the broker then assumes 65,535). */
  public PahoTransport() {
    this.receiveMaximum = 0;
    this.maximumPacketBytes = MqttSettings.MAX_PACKET_BYTES;
  }

  /**
   * A transport whose sessions announce {@code receiveMaximum} in CONNECT (MQTT 5 §3.1.2.11.3): the
   * broker is to keep at most that many QoS 1 and 2 messages to us unacknowledged, which bounds the
   * work of a subscriber that acknowledges only once it is done. Mosquitto 2.0.11 was measured
   * sending more (LaneBackpressureIT), so such a subscriber must not rely on it alone.
   *
   * @param receiveMaximum 1..65535
   */
  public PahoTransport(int receiveMaximum) {
    if (receiveMaximum < 1 || receiveMaximum > 65535) {
      throw new IllegalArgumentException("receive maximum " + receiveMaximum + ", want 1..65535");
    }
    this.receiveMaximum = receiveMaximum;
    this.maximumPacketBytes = MqttSettings.MAX_PACKET_BYTES;
  }

  private PahoTransport(int receiveMaximum, long maximumPacketBytes) {
    this.receiveMaximum = receiveMaximum;
    this.maximumPacketBytes = maximumPacketBytes;
  }

  /**
   * This transport, but announcing {@code bytes} as the MQTT 5 Maximum Packet Size (§3.1.2.11.4):
   * the broker does not send a larger packet to the session, and Paho refuses a larger incoming one
   * before allocating it. For a subscriber whose messages are small (smart-bin readings).
   *
   * @param bytes 1..{@link MqttSettings#MAX_PACKET_BYTES}
   */
  public PahoTransport withMaximumPacketSize(long bytes) {
    if (bytes < 1 || bytes > MqttSettings.MAX_PACKET_BYTES) {
      throw new IllegalArgumentException(
          "maximum packet size " + bytes + ", want 1.." + MqttSettings.MAX_PACKET_BYTES);
    }
    return new PahoTransport(receiveMaximum, bytes);
  }

  @Override
  public PendingConnect connect(MqttSettings s, Listener listener) {
    CompletableFuture<MqttSession> result = new CompletableFuture<>();
    PahoSession session;
    try {
      MqttAsyncClient client =
          new MqttAsyncClient(s.serverUri(), s.clientId(), new MemoryPersistence());
      session = new PahoSession(client, listener);
      client.setCallback(session);
      client.setManualAcks(true);
      client.connect(
          options(s),
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              if (session.isClosed()) {
                // Abandoned while connecting: do not leave a zombie connection behind (and do not
                // block Paho's thread).
                Thread t = new Thread(session::forceClose, "paho-zombie-closer");
                t.setDaemon(true);
                t.start();
                return;
              }
              session.markConnected(receiveMaximum(token));
              result.complete(session);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable ex) {
              result.completeExceptionally(
                  PahoSession.translate("connect to " + s.serverUri(), ex));
            }
          });
    } catch (MqttException | RuntimeException e) {
      result.completeExceptionally(PahoSession.translate("connect to " + s.serverUri(), e));
      return new Pending(result, null);
    }
    return new Pending(result, session);
  }

  /** The Receive Maximum the broker announced in its CONNACK; absent means 65,535. */
  static int receiveMaximum(IMqttToken connack) {
    MqttProperties p = connack.getResponseProperties();
    Integer max = p == null ? null : p.getReceiveMaximum();
    return max == null || max < 1 ? 65535 : Math.min(max, 65535);
  }

  private MqttConnectionOptions options(MqttSettings s) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    if (receiveMaximum > 0) {
      o.setReceiveMaximum(receiveMaximum);
    }
    o.setAutomaticReconnect(false);
    o.setCleanStart(s.cleanStart());
    if (!s.cleanStart()) {
      o.setSessionExpiryInterval(s.sessionExpirySeconds());
    }
    o.setKeepAliveInterval(s.keepAliveSeconds());
    o.setMaximumPacketSize(maximumPacketBytes);
    o.setConnectionTimeout((int) Math.max(1, s.connectTimeout().toSeconds()));
    if (s.sslContext() != null) {
      o.setSocketFactory(NoDelaySockets.tls(s.sslContext().getSocketFactory()));
      o.setHttpsHostnameVerificationEnabled(true);
    } else {
      o.setSocketFactory(NoDelaySockets.plain());
    }
    if (s.username() != null) {
      o.setUserName(s.username());
    }
    if (s.password() != null) {
      o.setPassword(s.password().reveal());
    }
    if (s.will() != null) {
      o.setWill(s.will().topic(), PahoSession.toPaho(s.will()));
    }
    return o;
  }

  private record Pending(CompletableFuture<MqttSession> session, PahoSession client)
      implements PendingConnect {
    @Override
    public void abandon() {
      if (client != null) {
        client.close();
      }
    }
  }
}
