package io.haulproof.agent.config;

/**
 * The local HTTP server: health, metrics and the technicians' status page.
 *
 * @param bind address to listen on, loopback by default
 * @param port TCP port; 0 picks a free one
 */
public record HttpConfig(String bind, Integer port) {
  public HttpConfig {
    bind = Check.orDefault(bind, "127.0.0.1");
    port = Check.range("port", port, 8080, 0, 65_535);
  }

  public static HttpConfig defaults() {
    return new HttpConfig(null, null);
  }
}
