package io.haulproof.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.merkle.ProofException;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's HTTP API for auditors (JDK {@code com.sun.net.httpserver}):
 *
 * <ul>
 *   <li>{@code GET /v1/witness}: witness name, kid and public key PEM;
 *   <li>{@code GET /v1/devices/{fleet}/{device}/checkpoint}: the latest witnessed checkpoint
 *       (signed note);
 *   <li>{@code GET /v1/devices/{fleet}/{device}/entries/{index}[?size=N]}: the entry with its RFC
 *       9162 inclusion proof at size N (default: the witnessed size if it covers the entry, else
 *       the stored count);
 *   <li>{@code POST /v1/verify} with {@code {fleet, device, index, tree_size, cose, path}}: whether
 *       the proof binds the entry to the ledger's root at that size, and whether that size is the
 *       witnessed one;
 *   <li>the auditor's and billing clerk's queries, bundles and exports ({@link AuditHttp}).
 * </ul>
 */
public final class LedgerHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DEVICE =
      Pattern.compile("^/v1/devices/([^/]+)/([^/]+)/(checkpoint|entries/(\\d{1,18}))$");
  private static final int MAX_BODY = 256 * 1024;

  private final Ledger ledger;
  private final HttpServer server;
  private final ExecutorService pool;

  public LedgerHttp(Ledger ledger, InetSocketAddress bind) throws IOException {
    this(ledger, bind, new LedgerMetrics(ledger, () -> true));
  }

  /** Also serves {@code GET /health} (200 up, 503 down, JSON) and {@code GET /metrics}. */
  public LedgerHttp(Ledger ledger, InetSocketAddress bind, LedgerMetrics metrics)
      throws IOException {
    this.ledger = ledger;
    this.server = HttpServer.create(bind, 16);
    this.pool =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ledger-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/v1/", this::handle);
    new AuditHttp(ledger).mount(server);
    new DashboardHttp(ledger).mount(server);
    server.createContext(
        "/health",
        ex -> {
          try (ex) {
            LedgerMetrics.Health h = metrics.health();
            ObjectNode n = JSON.createObjectNode();
            n.put("status", h.up() ? "up" : "down")
                .put("database", h.database())
                .put("broker", h.broker())
                .put("detail", h.detail());
            send(ex, h.up() ? 200 : 503, n);
          }
        });
    server.createContext(
        "/metrics",
        ex -> {
          try (ex) {
            byte[] b = metrics.prometheus().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
          } catch (java.sql.SQLException e) {
            send(ex, 503, error("metrics unavailable: " + e.getMessage()));
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      try {
        if (path.equals("/v1/witness") && ex.getRequestMethod().equals("GET")) {
          ObjectNode n = JSON.createObjectNode();
          n.put("name", ledger.witnessName());
          n.put("public_key", PublicKeys.toPem(ledger.witnessPublicKey()));
          send(ex, 200, n);
          return;
        }
        if (path.equals("/v1/verify") && ex.getRequestMethod().equals("POST")) {
          send(ex, 200, verify(readBody(ex)));
          return;
        }
        Matcher m = DEVICE.matcher(path);
        if (m.matches() && ex.getRequestMethod().equals("GET")) {
          Topics t = new Topics(m.group(1), m.group(2));
          Optional<DeviceLedger> d = ledger.existingDevice(t);
          if (d.isEmpty()) {
            send(ex, 404, error("unknown device " + t.fleet() + "/" + t.device()));
            return;
          }
          if (m.group(3).equals("checkpoint")) {
            Optional<NoteCheckpoint> cp = d.get().latest();
            if (cp.isEmpty()) {
              send(ex, 404, error("no witnessed checkpoint for " + t.device()));
            } else {
              sendText(ex, 200, cp.get().wire());
            }
            return;
          }
          send(ex, 200, entry(ex, d.get(), Long.parseLong(m.group(4))));
          return;
        }
        send(ex, 404, error("no such resource " + path));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        send(ex, 400, error(e.getMessage()));
      } catch (IOException | RuntimeException e) {
        LOG.error("ledger http {} failed", path, e);
        send(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
      }
    }
  }

  private ObjectNode entry(HttpExchange ex, DeviceLedger d, long index) throws IOException {
    long stored = d.stored();
    if (index >= stored) {
      throw new IndexOutOfBoundsException("entry " + index + ", ledger holds " + stored);
    }
    long size =
        d.latest().map(NoteCheckpoint::size).filter(s -> s > index && s <= stored).orElse(stored);
    String q = ex.getRequestURI().getQuery();
    if (q != null && q.startsWith("size=")) {
      size = Long.parseLong(q.substring(5));
      if (size <= index || size > stored) {
        throw new IllegalArgumentException(
            "size " + size + ", want " + (index + 1) + ".." + stored);
      }
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("index", index);
    n.put("tree_size", size);
    n.put("root", d.root(size).toHex());
    if (d.isLost(index)) {
      n.put("lost", true); // the device lost this record: no content, only its leaf hash
      n.put("leaf", d.leafHash(index).toHex());
    } else {
      n.put("cose", d.entry(index).toHex());
    }
    ArrayNode path = n.putArray("path");
    for (Hash h : d.inclusionProof(index, size)) {
      path.add(h.toHex());
    }
    long witnessed = d.latest().map(NoteCheckpoint::size).orElse(-1L);
    n.put("witnessed", witnessed == size);
    return n;
  }

  private ObjectNode verify(JsonNode req) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    Topics t = new Topics(text(req, "fleet"), text(req, "device"));
    long index = req.path("index").asLong(-1);
    long size = req.path("tree_size").asLong(-1);
    Bytes cose = Bytes.fromHex(text(req, "cose"));
    List<Hash> path = new ArrayList<>();
    for (JsonNode h : req.path("path")) {
      path.add(Hash.fromHex(h.asText()));
    }
    Optional<DeviceLedger> d = ledger.existingDevice(t);
    if (d.isEmpty() || size < 1 || size > d.get().stored() || index < 0 || index >= size) {
      out.put("valid", false);
      out.put(
          "reason",
          "ledger holds no tree of size " + size + " with index " + index + " for " + t.device());
      return out;
    }
    Hash root = d.get().root(size);
    try {
      ProofVerifier.verifyInclusion(index, size, Rfc9162.leafHash(cose), path, root);
      out.put("valid", true);
      out.put("root", root.toHex());
      out.put(
          "witnessed",
          d.get().latest().map(c -> c.size() == size && c.root().equals(root)).orElse(false));
    } catch (ProofException | RuntimeException e) {
      out.put("valid", false);
      out.put("reason", e.getMessage());
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' missing or not a string");
    }
    return v.asText();
  }

  private static JsonNode readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new IllegalArgumentException("body over " + MAX_BODY + " bytes");
      }
      try {
        return JSON.readTree(b);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
      }
    }
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static void sendText(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
