package io.haulproof.ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps other web sites out of the ledger's HTTP server: a request must name the server by a {@code
 * Host} it is known by (loopback names, the bind address, or configured names), and a browser's
 * request must come from the server's own pages ({@code Origin} equal to the server's, {@code
 * Sec-Fetch-Site} same-origin or none).
 *
 * <p>Security guarantees: a page on another site that the operator's or auditor's browser opens
 * cannot read the ledger's answers, not even by DNS rebinding (its requests carry a foreign {@code
 * Host}), and cannot post to it (a foreign {@code Origin} is refused). A client that sends no
 * {@code Host} (HTTP/1.0) or no {@code Origin} (curl, scripts) is not a browser page and passes.
 */
public final class HttpOriginCheck {
  private final Set<String> names;
  private final int port;

  /**
   * @param bindHost the address the server listens on (as given or as a literal)
   * @param port the port it listens on
   * @param hostnames further names clients reach it by (e.g. behind a proxy), without port
   */
  public HttpOriginCheck(String bindHost, int port, List<String> hostnames) {
    Set<String> n = new HashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
    String b = bindHost.toLowerCase(Locale.ROOT);
    n.add(b.contains(":") && !b.startsWith("[") ? "[" + b + "]" : b);
    hostnames.forEach(h -> n.add(h.toLowerCase(Locale.ROOT)));
    this.names = Set.copyOf(n);
    this.port = port;
  }

  /** The reason to refuse a request with these headers (each possibly null), or empty. */
  public Optional<String> refusal(String host, String origin, String secFetchSite) {
    if (host != null && !known(host.toLowerCase(Locale.ROOT))) {
      return Optional.of("Host '" + clip(host) + "' is not a name this ledger is reached by");
    }
    if (origin != null
        && (host == null || !origin.equalsIgnoreCase("http://" + host))
        && (host == null || !origin.equalsIgnoreCase("https://" + host))) {
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
