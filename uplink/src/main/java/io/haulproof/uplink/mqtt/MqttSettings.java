package io.haulproof.uplink.mqtt;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How to reach and talk to one broker.
 *
 * <p>Security guarantees: with an {@code ssl://} URI the TLS context is required and the broker's
 * host name is verified against its certificate (never switched off); the password is held in a
 * {@link Secret} that never prints.
 *
 * @param serverUri {@code tcp://host:port} or {@code ssl://host:port}
 * @param sslContext the TLS context (trust anchors and, for client-certificate auth, our key),
 *     required for ssl://
 * @param will the last-will message, or null
 * @param cleanStart false for a persistent session (the ledger), true for a sender that resends
 *     from its cursor
 * @param sessionExpirySeconds session expiry (MQTT 5.0 §3.1.2.11.2) when cleanStart is false
 * @param connectTimeout how long a connect may take before the supervisor abandons the client
 * @param publishTimeout how long a QoS 1 publish may wait for its PUBACK before the supervisor
 *     recreates the client
 */
public record MqttSettings(
    String serverUri,
    String clientId,
    SSLContext sslContext,
    String username,
    Secret password,
    MqttMessage will,
    boolean cleanStart,
    long sessionExpirySeconds,
    int keepAliveSeconds,
    Duration connectTimeout,
    Duration publishTimeout,
    Duration backoffMin,
    Duration backoffMax) {

  /**
   * The MQTT 5 Maximum Packet Size (§3.1.2.11.4) every client we create announces: the broker must
   * not send us a larger packet (Mosquitto drops it for this client), and Paho refuses one that
   * arrives anyway before allocating its body. Our largest legitimate inbound messages (management
   * requests, capped at 64 KiB; enrollment answers; entries and checkpoints at the ledger) are far
   * below it, and a 16 MB message can no longer exhaust a 64 MB heap.
   */
  public static final long MAX_PACKET_BYTES = 256 * 1024;

  /** A password that never appears in logs or toString. */
  public static final class Secret {
    private final byte[] value;

    public Secret(byte[] value) {
      this.value = value.clone();
    }

    public byte[] reveal() {
      return value.clone();
    }

    @Override
    public String toString() {
      return "Secret(***)";
    }
  }

  public MqttSettings {
    Objects.requireNonNull(serverUri, "serverUri");
    Objects.requireNonNull(clientId, "clientId");
    URI u = URI.create(serverUri);
    if (!"tcp".equals(u.getScheme()) && !"ssl".equals(u.getScheme())) {
      throw new IllegalArgumentException(
          "bad broker URL scheme '" + u.getScheme() + "', want tcp or ssl");
    }
    if (u.getPort() <= 0) {
      throw new IllegalArgumentException("broker URL " + serverUri + " has no port");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
    Objects.requireNonNull(backoffMin, "backoffMin");
    Objects.requireNonNull(backoffMax, "backoffMax");
    if (backoffMin.isNegative() || backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException("bad backoff " + backoffMin + ".." + backoffMax);
    }
  }

  /** Throws if the settings cannot be used to connect (ssl:// without a TLS context). */
  public void requireUsable() {
    if (serverUri.startsWith("ssl:") && sslContext == null) {
      throw new IllegalArgumentException(
          "broker URL " + serverUri + " is ssl:// but no TLS context was given");
    }
  }

  /**
   * Defaults for a sender: clean start, 30 s keep-alive, 10 s connect, 30 s publish, backoff 0.5 s
   * to 60 s.
   */
  public static MqttSettings of(String serverUri, String clientId) {
    return new MqttSettings(
        serverUri,
        clientId,
        null,
        null,
        null,
        null,
        true,
        0,
        30,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(60));
  }

  public MqttSettings withTls(SSLContext ctx) {
    return new MqttSettings(
        serverUri,
        clientId,
        ctx,
        username,
        password,
        will,
        cleanStart,
        sessionExpirySeconds,
        keepAliveSeconds,
        connectTimeout,
        publishTimeout,
        backoffMin,
        backoffMax);
  }

  public MqttSettings withCredentials(String user, Secret pass) {
    return new MqttSettings(
        serverUri,
        clientId,
        sslContext,
        user,
        pass,
        will,
        cleanStart,
        sessionExpirySeconds,
        keepAliveSeconds,
        connectTimeout,
        publishTimeout,
        backoffMin,
        backoffMax);
  }

  public MqttSettings withWill(MqttMessage w) {
    return new MqttSettings(
        serverUri,
        clientId,
        sslContext,
        username,
        password,
        w,
        cleanStart,
        sessionExpirySeconds,
        keepAliveSeconds,
        connectTimeout,
        publishTimeout,
        backoffMin,
        backoffMax);
  }

  /** A persistent session that the broker keeps for {@code expirySeconds} while we are away. */
  public MqttSettings withPersistentSession(long expirySeconds) {
    return new MqttSettings(
        serverUri,
        clientId,
        sslContext,
        username,
        password,
        will,
        false,
        expirySeconds,
        keepAliveSeconds,
        connectTimeout,
        publishTimeout,
        backoffMin,
        backoffMax);
  }

  public MqttSettings withTimeouts(Duration connect, Duration publish) {
    return new MqttSettings(
        serverUri,
        clientId,
        sslContext,
        username,
        password,
        will,
        cleanStart,
        sessionExpirySeconds,
        keepAliveSeconds,
        connect,
        publish,
        backoffMin,
        backoffMax);
  }

  public MqttSettings withBackoff(Duration min, Duration max) {
    return new MqttSettings(
        serverUri,
        clientId,
        sslContext,
        username,
        password,
        will,
        cleanStart,
        sessionExpirySeconds,
        keepAliveSeconds,
        connectTimeout,
        publishTimeout,
        min,
        max);
  }

  public MqttSettings withKeepAlive(int seconds) {
    return new MqttSettings(
        serverUri,
        clientId,
        sslContext,
        username,
        password,
        will,
        cleanStart,
        sessionExpirySeconds,
        seconds,
        connectTimeout,
        publishTimeout,
        backoffMin,
        backoffMax);
  }
}
