package io.haulproof.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.ledger.audit.BundleStream;
import io.haulproof.ledger.billing.LiftRow;
import io.haulproof.ledger.billing.PaytExport;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.uplink.Topics;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The auditor's and billing clerk's requests (docs/ledger.md, "Auditors and billing"), each
 * answered as an {@link HttpAnswer}:
 *
 * <ul>
 *   <li>{@code GET /v1/collections?bin=|vehicle=|tour=&from=&to=[&limit=&after=]}: bound lifts in
 *       time order, each with its inclusion proof against the latest cosigned checkpoint covering
 *       it; {@code next} is the cursor of the following page;
 *   <li>{@code GET /v1/bundle?bin=&from=&to=}: the dispute bundle file that {@code haulproof audit
 *       verify} checks offline, written as it is encoded;
 *   <li>{@code GET /v1/export/payt?from=&to=[&format=csv|jsonl]}: the pay-as-you-throw export,
 *       written page by page (never a whole period in memory).
 * </ul>
 *
 * Times are ISO-8601 instants ({@code 2026-05-01T00:00:00Z}), {@code from} inclusive, {@code to}
 * exclusive. A bad parameter throws {@link IllegalArgumentException} naming it (the server answers
 * 400 and counts {@code http.rejected}). Every method reads the database: call them off any event
 * loop.
 */
public final class AuditApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final int EXPORT_PAGE = 500;
  private static final Set<String> QUERY =
      Set.of("bin", "vehicle", "tour", "from", "to", "limit", "after", "format");

  private final Ledger ledger;
  private final StoredEvidence evidence;

  public AuditApi(Ledger ledger) {
    this.ledger = ledger;
    this.evidence = new StoredEvidence(ledger);
  }

  /** {@code GET /v1/collections}; {@code rawQuery} as received (percent-encoded), or null. */
  public HttpAnswer collections(String rawQuery) throws IOException {
    Map<String, String> q = query(rawQuery);
    StoredEvidence.Filter f = filter(q, false);
    int limit =
        q.containsKey("limit") ? intIn(q.get("limit"), "limit", 1, MAX_LIMIT) : DEFAULT_LIMIT;
    Optional<StoredEvidence.Cursor> after =
        q.containsKey("after") ? Optional.of(cursor(q.get("after"))) : Optional.empty();
    List<StoredEvidence.Found> page = evidence.collections(f, after, limit);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode items = out.putArray("collections");
    for (StoredEvidence.Found x : page) {
      ObjectNode n = items.addObject();
      LiftRow.of(x.lift()).values().forEach((k, v) -> n.putPOJO(k, v));
      x.lift()
          .checkpointSize()
          .ifPresent(
              size -> {
                ArrayNode path = n.putArray("path");
                for (Hash h :
                    ledger
                        .device(new Topics(x.lift().fleet(), x.lift().device()))
                        .inclusionProof(x.lift().index(), size)) {
                  path.add(h.toHex());
                }
              });
      n.put("proven", x.lift().checkpointSize().isPresent());
    }
    if (page.size() == limit) {
      StoredEvidence.Cursor c = page.get(page.size() - 1).cursor();
      out.put("next", c.collectedAt() + "," + c.fleet() + "," + c.device() + "," + c.idx());
    }
    return HttpAnswer.json(200, out);
  }

  /**
   * {@code GET /v1/bundle}: the devices, checkpoints and counts are read before the answer starts
   * (the counts go in headers); the entries are then read page by page while they are written
   * ({@link BundleStream}), never the whole bundle in memory.
   */
  public HttpAnswer bundle(String rawQuery) throws IOException {
    StoredEvidence.Filter f = filter(query(rawQuery), true);
    String bin = f.bin().orElseThrow();
    BundleStream stream = new BundleStream(evidence);
    BundleStream.Plan plan = stream.plan(bin, f.from(), f.to());
    return new HttpAnswer.Streamed(
        200,
        "application/json",
        Map.of(
            "Content-Disposition", "attachment; filename=\"dispute-" + bin + ".json\"",
            "X-Haulproof-Entries", Long.toString(plan.entries()),
            "X-Haulproof-Pending", Long.toString(plan.pending())),
        out -> stream.write(plan, out));
  }

  /**
   * {@code GET /v1/export/payt}: the parameters are checked before the answer starts; the rows are
   * read {@value #EXPORT_PAGE} at a time while they are written.
   */
  public HttpAnswer payt(String rawQuery) {
    Map<String, String> q = query(rawQuery);
    StoredEvidence.Filter f = filter(q, false);
    PaytExport.Format format = PaytExport.Format.parse(q.getOrDefault("format", "csv"));
    return new HttpAnswer.Streamed(
        200,
        format.contentType(),
        Map.of(),
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          PaytExport export = new PaytExport(format, w);
          Optional<StoredEvidence.Cursor> after = Optional.empty();
          while (true) {
            List<StoredEvidence.Found> page = evidence.collections(f, after, EXPORT_PAGE);
            for (StoredEvidence.Found x : page) {
              export.write(LiftRow.of(x.lift()));
            }
            if (page.size() < EXPORT_PAGE) {
              break;
            }
            after = Optional.of(page.get(page.size() - 1).cursor());
          }
          export.flush();
        });
  }

  /** The filter of a request; {@code needBin}: the bin is required (bundles are per bin). */
  static StoredEvidence.Filter filter(Map<String, String> q, boolean needBin) {
    if (needBin && !q.containsKey("bin")) {
      throw new IllegalArgumentException("parameter 'bin' is required (the bin's tag id, hex)");
    }
    Optional<String> bin = Optional.ofNullable(q.get("bin"));
    bin.ifPresent(
        b -> {
          if (!b.matches("[0-9a-f]{2,64}")) {
            throw new IllegalArgumentException(
                "parameter 'bin': '" + clip(b) + "', want the tag id in lowercase hex");
          }
        });
    Optional<String> vehicle = Optional.ofNullable(q.get("vehicle")).map(v -> name("vehicle", v));
    Optional<String> tour = Optional.ofNullable(q.get("tour")).map(v -> name("tour", v));
    return new StoredEvidence.Filter(bin, vehicle, tour, instant(q, "from"), instant(q, "to"));
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    if (raw.length() > 2048) {
      throw new IllegalArgumentException("query over 2048 characters");
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = decode(eq < 0 ? part : part.substring(0, eq));
      String v = eq < 0 ? "" : decode(part.substring(eq + 1));
      if (!QUERY.contains(k)) {
        throw new IllegalArgumentException("unknown parameter '" + clip(k) + "', want " + QUERY);
      }
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("parameter '" + k + "' given twice");
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad percent-encoding in the query");
    }
  }

  private static Instant instant(Map<String, String> q, String key) {
    String v = q.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "parameter '" + key + "' is required (ISO-8601, e.g. 2026-05-01T00:00:00Z)");
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "parameter '" + key + "': '" + clip(v) + "' is not an ISO-8601 instant");
    }
  }

  private static String name(String key, String v) {
    if (!v.matches("[\\p{L}\\p{N} ._:/-]{1,64}")) {
      throw new IllegalArgumentException(
          "parameter '" + key + "': '" + clip(v) + "' is not a name");
    }
    return v;
  }

  private static int intIn(String v, String key, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "parameter '" + key + "': '" + clip(v) + "', want " + min + ".." + max);
  }

  static StoredEvidence.Cursor cursor(String v) {
    String[] p = v.split(",", -1);
    try {
      if (p.length == 4 && Names.valid(p[1]) && Names.valid(p[2])) {
        return new StoredEvidence.Cursor(Long.parseLong(p[0]), p[1], p[2], Long.parseLong(p[3]));
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "parameter 'after': '" + clip(v) + "' is not a cursor from a previous page's 'next'");
  }

  private static String clip(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
