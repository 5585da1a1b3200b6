package io.haulproof.agent.status;

import io.haulproof.uplink.http.BearerToken;
import io.haulproof.uplink.http.SameOriginCheck;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether an HTTP request may act for the crew ({@code POST /api/exception}: the device
 * signs what it says): the crew's bearer token, a {@code Host} the agent is known by, no foreign
 * {@code Origin} or cross-site fetch ({@link SameOriginCheck}), and a JSON body.
 *
 * <p>Security guarantees: a page the crew's browser opens elsewhere cannot act: it cannot send the
 * token (a cross-origin request with an {@code Authorization} header or a JSON body needs a CORS
 * preflight, which this server never grants), its {@code Origin} is refused, and a DNS-rebinding
 * page is refused by its foreign {@code Host}. Tokens are compared in constant time ({@link
 * BearerToken}); nothing of the token appears in a refusal.
 */
public final class CrewRequestGuard {
  /** Why a request was refused: the HTTP status and a reason for the caller. */
  public record Refusal(int status, String reason) {}

  private final BearerToken token;
  private final SameOriginCheck origins;

  /**
   * @param token the crew's bearer token, or null when crew actions are disabled
   * @param bind the address the server listens on
   * @param hostnames names the agent is reached by (besides loopback), without port
   * @param port the port the server listens on
   * @param tls whether the server speaks HTTPS
   */
  public CrewRequestGuard(
      BearerToken token, String bind, List<String> hostnames, int port, boolean tls) {
    this.token = token;
    this.origins = new SameOriginCheck(bind, port, hostnames, tls);
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
    Optional<String> foreign = origins.refusal(host, origin, secFetchSite);
    if (foreign.isPresent()) {
      return refuse(403, foreign.get());
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    int semi = type.indexOf(';');
    if (!(semi < 0 ? type : type.substring(0, semi)).trim().equals("application/json")) {
      return refuse(415, "Content-Type must be application/json");
    }
    return credentials(authorization);
  }

  /**
   * Checks a crew read of personal data ({@code GET /api/lifts}: one bin's history): as {@link
   * #check} without a body, so no Content-Type; empty if it may read.
   */
  public Optional<Refusal> checkRead(
      String host, String origin, String secFetchSite, String authorization) {
    if (token == null) {
      return refuse(403, "crew actions over HTTP are disabled (set http.crewTokenFile)");
    }
    Optional<String> foreign = origins.refusal(host, origin, secFetchSite);
    if (foreign.isPresent()) {
      return refuse(403, foreign.get());
    }
    return credentials(authorization);
  }

  private Optional<Refusal> credentials(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return refuse(401, "crew credentials required (Authorization: Bearer <token>)");
    }
    if (!token.admits(authorization)) {
      return refuse(401, "wrong crew credentials");
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(int status, String reason) {
    return Optional.of(new Refusal(status, reason));
  }
}
