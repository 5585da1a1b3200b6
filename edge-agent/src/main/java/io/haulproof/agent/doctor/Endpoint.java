package io.haulproof.agent.doctor;

import java.net.URI;

/**
 * A host and TCP port taken from a broker URL ({@code ssl://host:8883}, {@code tcp://host}) or a
 * {@code host:port} string, with the protocol's default port filled in.
 *
 * @param host host name or address
 * @param port TCP port, 1..65535
 * @param tls whether the scheme is TLS ({@code ssl}, {@code mqtts})
 */
record Endpoint(String host, int port, boolean tls) {
  Endpoint {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("endpoint without host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + ", want 1..65535");
    }
  }

  /** Parses an MQTT broker URL; default ports 1883 (tcp, mqtt) and 8883 (ssl, mqtts). */
  static Endpoint ofBrokerUrl(String url) {
    URI uri = URI.create(url);
    boolean tls = "ssl".equals(uri.getScheme()) || "mqtts".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
    return new Endpoint(uri.getHost(), port, tls);
  }

  /** Parses {@code host:port}. */
  static Endpoint ofHostPort(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("want host:port, got \"" + hostPort + "\"");
    }
    return new Endpoint(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), false);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
