package io.haulproof.agent.config;

import java.net.URI;
import java.util.List;

/**
 * A broker URL from the configuration, checked once for every broker the agent talks to (uplink,
 * management, smart-bin receiver): {@code tcp://} or {@code mqtt://} is plain, {@code ssl://} or
 * {@code mqtts://} is TLS and needs a {@code tls} section; TLS material on a plain URL is refused,
 * so a connection is never silently downgraded.
 */
public final class BrokerUrl {
  private BrokerUrl() {}

  /**
   * Checks {@code url} against {@code tls}; throws a {@link ConfigException} naming {@code key} or
   * {@code tls}.
   */
  public static void check(String key, String url, TlsConfig tls) {
    Check.required(key, url);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "is not a URL: " + e.getMessage());
    }
    Check.oneOf(key, uri.getScheme(), null, List.of("tcp", "ssl", "mqtt", "mqtts"));
    if (uri.getHost() == null) {
      throw new ConfigException(key, "has no host, got \"" + url + "\"");
    }
    if (secure(uri) && tls == null) {
      throw new ConfigException("tls", "is required for " + uri.getScheme() + "://");
    }
    if (!secure(uri) && tls != null) {
      throw new ConfigException(
          key, "is " + uri.getScheme() + ":// but tls is set: use ssl:// (never downgraded)");
    }
  }

  /** True for {@code ssl://} and {@code mqtts://}. */
  public static boolean secure(URI uri) {
    return uri.getScheme().equals("ssl") || uri.getScheme().equals("mqtts");
  }

  /** The URL in the form the MQTT transport takes: {@code ssl://host:port} or {@code tcp://…}. */
  public static String normalised(String url) {
    URI uri = URI.create(url);
    boolean secure = secure(uri);
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 8883 : 1883;
    return (secure ? "ssl://" : "tcp://") + uri.getHost() + ":" + port;
  }

  /** Checks that {@code username} and {@code passwordFile} come together. */
  public static void checkCredentials(String username, String passwordFile) {
    if ((username == null) != (passwordFile == null)) {
      throw new ConfigException(
          username == null ? "username" : "passwordFile",
          "is required when " + (username == null ? "passwordFile" : "username") + " is set");
    }
  }
}
