package io.haulproof.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet dashboard (docs/ledger.md, "Fleet dashboard"): {@code GET /dashboard} serves a static
 * page (HTML, JS, CSS from resources, no outside assets) that polls {@code GET /v1/fleet} ({@link
 * FleetStatus}). The page never inserts data as HTML, and the server's strict
 * Content-Security-Policy ({@link #CSP}) keeps it from running anything but its own script.
 */
public final class DashboardApi {
  /** The Content-Security-Policy of every answer of the ledger's HTTP server. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);
  private static final Map<String, String[]> FILES =
      Map.of(
          "/dashboard", new String[] {"index.html", "text/html; charset=utf-8"},
          "/dashboard/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/dashboard/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

  private final FleetStatus status;

  public DashboardApi(Ledger ledger) {
    this.status = new FleetStatus(ledger, Clock.systemUTC());
  }

  /** The paths of the page's files. */
  public static java.util.Set<String> paths() {
    return FILES.keySet();
  }

  /** {@code GET /v1/fleet}: the fleet's status, or 503 while the database does not answer. */
  public HttpAnswer fleet() {
    try {
      return HttpAnswer.json(200, status.read());
    } catch (IOException | RuntimeException e) {
      LOG.error("fleet status failed", e);
      return HttpAnswer.error(503, "fleet status unavailable");
    }
  }

  /** The page's file at {@code path} (one of {@link #paths()}), or empty. */
  public Optional<HttpAnswer> file(String path) throws IOException {
    String[] f = FILES.get(path);
    if (f == null) {
      return Optional.empty();
    }
    try (InputStream in = DashboardApi.class.getResourceAsStream("dashboard/" + f[0])) {
      if (in == null) {
        throw new IOException("dashboard resource " + f[0] + " missing from the jar");
      }
      return Optional.of(new HttpAnswer.Full(200, f[1], Map.of(), in.readAllBytes()));
    }
  }
}
