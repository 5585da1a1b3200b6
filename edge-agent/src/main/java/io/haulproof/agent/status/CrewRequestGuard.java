package io.haulproof.agent.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an HTTP request may act for the crew ({@code POST /api/exception}: the device
 * signs what it says): the crew's bearer token, a {@code Host} the agent is known by, no foreign
 * {@code Origin} or cross-site fetch, and a JSON body.
 *
 * <p>Security guarantees: a page the crew's browser opens elsewhere cannot act: it cannot send the
 * token (a cross-origin request with an {@code Authorization} header or a JSON body needs a CORS
 * preflight, which this server never grants), its {@code Origin} is refused, and a DNS-rebinding
 * page is refused by its foreign {@code Host}. Tokens are compared in constant time; nothing of the
 * token appears in a refusal.
 */
public final class CrewRequestGuard {
  /** Why a request was refused: the HTTP status and a reason for the caller. */
  public record Refusal(int status, String reason) {}

  private final byte[] token;
  private final Set<String> hosts;
  private final String scheme;

  /**
   * @param token the crew's bearer token, or null when crew actions are disabled
   * @param hostnames names the agent is reached by (besides loopback), without port
   * @param port the port the server listens on
   * @param tls whether the server speaks HTTPS
   */
  public CrewRequestGuard(String token, List<String> hostnames, int port, boolean tls) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.scheme = tls ? "https" : "http";
    java.util.Set<String> h = new java.util.HashSet<>();
    for (String name : List.of("127.0.0.1", "localhost", "[::1]")) {
      h.add(name + ":" + port);
    }
    for (String name : hostnames) {
      h.add(name.toLowerCase(Locale.ROOT) + ":" + port);
    }
    this.hosts = Set.copyOf(h);
  }

  /**
   * Checks one request's headers; empty if it may act.
   *
   * @param authorization the {@code Authorization} header, or null
   */
  public Optional<Refusal> check(
      String host, String origin, String secFetchSite, String contentType, String authorization) {
    if (token == null) {
      return refuse(403, "crew actions over HTTP are disabled (set http.crewTokenFile)");
    }
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (!hosts.contains(h)) {
      return refuse(403, "Host '" + host + "' is not a name this agent is reached by");
    }
    if (origin != null && !origin.equalsIgnoreCase(scheme + "://" + h)) {
      return refuse(403, "cross-origin request from '" + origin + "' refused");
    }
    if (secFetchSite != null
        && !secFetchSite.equals("same-origin")
        && !secFetchSite.equals("none")) {
      return refuse(403, "cross-site request (Sec-Fetch-Site: " + secFetchSite + ") refused");
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    int semi = type.indexOf(';');
    if (!(semi < 0 ? type : type.substring(0, semi)).trim().equals("application/json")) {
      return refuse(415, "Content-Type must be application/json");
    }
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return refuse(401, "crew credentials required (Authorization: Bearer <token>)");
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(
        sha256(given), sha256(token))) { // equal-length digests: constant time
      return refuse(401, "wrong crew credentials");
    }
    return Optional.empty();
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Refusal> refuse(int status, String reason) {
    return Optional.of(new Refusal(status, reason));
  }
}
