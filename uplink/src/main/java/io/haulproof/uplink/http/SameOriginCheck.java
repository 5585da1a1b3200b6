package io.haulproof.uplink.http;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps other web sites out of a local HTTP server (the agent's status page and crew actions, the
 * ledger's API and dashboard): a request must name the server by a {@code Host} it is known by
 * (loopback names, the bind address, configured names; with the server's port or none), and a
 * browser's request must come from the server's own pages ({@code Origin} equal to the server's
 * own, {@code Sec-Fetch-Site} same-origin or none).
 *
 * <p>Security guarantees: a page on another site that the user's browser opens cannot read the
 * server's answers, not even by DNS rebinding (its requests carry a foreign {@code Host}), and
 * cannot post to it (a foreign {@code Origin} is refused). A request without {@code Host} is
 * refused; one without {@code Origin} (curl, scripts) is not a browser page's and passes.
 */
public final class SameOriginCheck {
  private final Set<String> names;
  private final int port;
  private final String scheme;

  /**
   * @param bindHost the address the server listens on
   * @param port the port it listens on
   * @param hostnames further names clients reach it by (e.g. its DNS name), without port
   * @param tls whether the server speaks HTTPS
   */
  public SameOriginCheck(String bindHost, int port, List<String> hostnames, boolean tls) {
    Set<String> n = new HashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
    String b = bindHost.toLowerCase(Locale.ROOT);
    if (!b.equals("0.0.0.0") && !b.equals("::") && !b.equals("[::]")) { // not a name: any address
      n.add(b.contains(":") && !b.startsWith("[") ? "[" + b + "]" : b);
    }
    hostnames.forEach(h -> n.add(h.toLowerCase(Locale.ROOT)));
    this.names = Set.copyOf(n);
    this.port = port;
    this.scheme = tls ? "https" : "http";
  }

  /** The reason to refuse a request with these headers (each possibly null), or empty. */
  public Optional<String> refusal(String host, String origin, String secFetchSite) {
    if (host == null) {
      return Optional.of("no Host header (HTTP/1.1 requires one)");
    }
    if (!known(host.toLowerCase(Locale.ROOT))) {
      return Optional.of("Host '" + clip(host) + "' is not a name this server is reached by");
    }
    if (origin != null && !origin.equalsIgnoreCase(scheme + "://" + host)) {
      return Optional.of("cross-origin request from '" + clip(origin) + "' refused");
    }
    if (secFetchSite != null
        && !secFetchSite.equals("same-origin")
        && !secFetchSite.equals("none")) {
      return Optional.of("cross-site request (Sec-Fetch-Site: " + clip(secFetchSite) + ") refused");
    }
    return Optional.empty();
  }

  private boolean known(String host) {
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) { // host:port
      return host.substring(colon + 1).equals(Integer.toString(port))
          && names.contains(host.substring(0, colon));
    }
    return names.contains(host);
  }

  private static String clip(String s) {
    String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
