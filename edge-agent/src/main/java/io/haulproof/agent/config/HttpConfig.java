package io.haulproof.agent.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The local HTTP server: health, metrics, the technicians' status page and the crew's actions.
 *
 * <p>Security guarantees: a bind address other than loopback requires {@code tls} and {@code
 * crewTokenFile} (refused at load otherwise), so the crew's signed actions never cross a network in
 * clear or without credentials; crew actions are disabled until {@code crewTokenFile} is set.
 *
 * @param bind address to listen on, loopback by default
 * @param port TCP port; 0 picks a free one
 * @param crewTokenFile file holding the crew's bearer token for {@code POST /api/exception} (mode
 *     0600); absent means crew actions over HTTP are refused
 * @param tls server certificate and key (PEM) for HTTPS; required for a non-loopback bind
 * @param hostnames the names (without port) clients use to reach the agent, accepted in the {@code
 *     Host} header besides loopback ones ({@code 127.0.0.1}, {@code localhost}, {@code [::1]})
 */
public record HttpConfig(
    String bind, Integer port, String crewTokenFile, HttpTlsConfig tls, List<String> hostnames) {
  public HttpConfig {
    bind = Check.orDefault(bind, "127.0.0.1");
    port = Check.range("port", port, 8080, 0, 65_535);
    hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    if (!isLoopback(bind)) {
      if (tls == null) {
        throw new ConfigException(
            "tls", "is required when bind is " + bind + " (not loopback): crew actions need HTTPS");
      }
      if (crewTokenFile == null || crewTokenFile.isBlank()) {
        throw new ConfigException(
            "crewTokenFile",
            "is required when bind is " + bind + " (not loopback): crew actions need credentials");
      }
    }
  }

  /** Loopback only, no TLS, crew actions disabled. */
  public HttpConfig(String bind, Integer port) {
    this(bind, port, null, null, null);
  }

  public static HttpConfig defaults() {
    return new HttpConfig(null, null);
  }

  /** True for 127.0.0.0/8, ::1 and {@code localhost}. */
  public static boolean isLoopback(String address) {
    if (address.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * PEM server certificate (chain) and private key for the HTTPS listener.
   *
   * @param cert PEM certificate chain
   * @param key PEM private key, mode 0600
   */
  public record HttpTlsConfig(String cert, String key) {
    public HttpTlsConfig {
      Check.required("cert", cert);
      Check.required("key", key);
    }
  }
}
