package io.haulproof.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.merkle.ProofException;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's own requests (docs/ledger.md, "HTTP"), each answered as an {@link HttpAnswer}; a bad
 * parameter throws {@link IllegalArgumentException} with the reason for the caller:
 *
 * <ul>
 *   <li>{@code GET /v1/witness}: witness name and public key PEM;
 *   <li>{@code GET /v1/devices/{fleet}/{device}/checkpoint}: the latest witnessed checkpoint
 *       (signed note);
 *   <li>{@code GET /v1/devices/{fleet}/{device}/entries/{index}[?size=N]}: the entry with its RFC
 *       9162 inclusion proof at size N (default: the witnessed size if it covers the entry, else
 *       the stored count);
 *   <li>{@code POST /v1/verify} with {@code {fleet, device, index, tree_size, cose, path}}: whether
 *       the proof binds the entry to the ledger's root at that size, and whether that size is the
 *       witnessed one;
 *   <li>{@code GET /health} (200 up, 503 down) and {@code GET /metrics} (Prometheus text).
 * </ul>
 *
 * Every method reads the database: call them off any event loop.
 */
public final class LedgerApi {
  /** The largest {@code POST /v1/verify} body. */
  public static final int MAX_BODY = 256 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ledger ledger;
  private final LedgerMetrics metrics;

  public LedgerApi(Ledger ledger, LedgerMetrics metrics) {
    this.ledger = ledger;
    this.metrics = metrics;
  }

  public HttpAnswer witness() {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", ledger.witnessName());
    n.put("public_key", PublicKeys.toPem(ledger.witnessPublicKey()));
    return HttpAnswer.json(200, n);
  }

  public HttpAnswer checkpoint(String fleet, String device) throws IOException {
    Topics t = new Topics(fleet, device);
    Optional<DeviceLedger> d = ledger.existingDevice(t);
    if (d.isEmpty()) {
      return unknown(t);
    }
    return d.get()
        .latest()
        .map(cp -> HttpAnswer.text(200, "text/plain; charset=utf-8", cp.wire()))
        .orElseGet(() -> HttpAnswer.error(404, "no witnessed checkpoint for " + t.device()));
  }

  /**
   * The entry at {@code index} with its proof.
   *
   * @param rawQuery the request's query ({@code size=N}) or null
   */
  public HttpAnswer entry(String fleet, String device, long index, String rawQuery)
      throws IOException {
    Topics t = new Topics(fleet, device);
    Optional<DeviceLedger> found = ledger.existingDevice(t);
    if (found.isEmpty()) {
      return unknown(t);
    }
    DeviceLedger d = found.get();
    long stored = d.stored();
    if (index >= stored) {
      throw new IllegalArgumentException("entry " + index + ", ledger holds " + stored);
    }
    long size =
        d.latest().map(NoteCheckpoint::size).filter(s -> s > index && s <= stored).orElse(stored);
    if (rawQuery != null && rawQuery.startsWith("size=")) {
      size = Long.parseLong(rawQuery.substring(5));
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
    return HttpAnswer.json(200, n);
  }

  /** Checks a proof posted as JSON ({@code body}, at most {@link #MAX_BODY} bytes). */
  public HttpAnswer verify(byte[] body) throws IOException {
    if (body.length > MAX_BODY) {
      throw new IllegalArgumentException("body over " + MAX_BODY + " bytes");
    }
    JsonNode req;
    try {
      req = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
    }
    if (req == null || !req.isObject()) {
      throw new IllegalArgumentException("body is not a JSON object");
    }
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
      return HttpAnswer.json(200, out);
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
    return HttpAnswer.json(200, out);
  }

  /** {@code {"status":"up"|"down","database","broker","detail"}}: 200 when up, else 503. */
  public HttpAnswer health() {
    LedgerMetrics.Health h = metrics.health();
    ObjectNode n = JSON.createObjectNode();
    n.put("status", h.up() ? "up" : "down")
        .put("database", h.database())
        .put("broker", h.broker())
        .put("detail", h.detail());
    return HttpAnswer.json(h.up() ? 200 : 503, n);
  }

  /** Prometheus text format 0.0.4, or 503 while the database does not answer. */
  public HttpAnswer metrics() {
    try {
      return HttpAnswer.text(200, "text/plain; version=0.0.4", metrics.prometheus());
    } catch (SQLException e) {
      return HttpAnswer.error(503, "metrics unavailable: " + e.getMessage());
    }
  }

  private static HttpAnswer unknown(Topics t) {
    return HttpAnswer.error(404, "unknown device " + t.key());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' missing or not a string");
    }
    return v.asText();
  }
}
