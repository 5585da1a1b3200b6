package io.haulproof.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet dashboard (docs/ledger.md, "Fleet dashboard"): {@code GET /dashboard} serves a static
 * page (HTML, JS, CSS from resources, no outside assets) that polls {@code GET /v1/fleet} ({@link
 * FleetStatus}). The page never inserts data as HTML, and a strict Content-Security-Policy keeps it
 * from running anything but its own script.
 */
final class DashboardHttp {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  private static final Map<String, String[]> FILES =
      Map.of(
          "/dashboard", new String[] {"index.html", "text/html; charset=utf-8"},
          "/dashboard/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/dashboard/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

  private final FleetStatus status;

  DashboardHttp(Ledger ledger) {
    this.status = new FleetStatus(ledger, Clock.systemUTC());
  }

  void mount(HttpServer server) {
    server.createContext("/v1/fleet", this::fleet);
    server.createContext("/dashboard", this::file);
  }

  private void fleet(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        send(ex, 405, "application/json", "{\"error\":\"want GET\"}".getBytes());
        return;
      }
      try {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(status.read()));
      } catch (IOException | RuntimeException e) {
        LOG.error("fleet status failed", e);
        send(ex, 503, "application/json", "{\"error\":\"fleet status unavailable\"}".getBytes());
      }
    }
  }

  private void file(HttpExchange ex) throws IOException {
    try (ex) {
      String[] f = FILES.get(ex.getRequestURI().getPath());
      if (f == null || !ex.getRequestMethod().equals("GET")) {
        send(ex, 404, "text/plain", "not found".getBytes());
        return;
      }
      try (InputStream in = DashboardHttp.class.getResourceAsStream("dashboard/" + f[0])) {
        if (in == null) {
          throw new IOException("dashboard resource " + f[0] + " missing from the jar");
        }
        send(ex, 200, f[1], in.readAllBytes());
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Content-Security-Policy", CSP);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }
}
