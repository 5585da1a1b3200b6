package io.haulproof.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.ledger.store.Rows;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What the fleet dashboard shows, read from the database (so every instance shows the same fleet)
 * plus this instance's refusal counters: per truck online or offline, the last entry, checkpoint
 * and cosignature, the backlog, and its evidence; the latest evidence rows; today's lifts with
 * their positions (at most {@link #MAX_LIFTS}).
 */
final class FleetStatus {
  /** A truck is online if it sent anything within this long. */
  static final Duration ONLINE = Duration.ofMinutes(10);

  static final int MAX_LIFTS = 5000;
  private static final int LATEST_EVIDENCE = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ledger ledger;
  private final Clock clock;

  FleetStatus(Ledger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  ObjectNode read() throws IOException {
    long now = clock.millis();
    try {
      return ledger.store().db().read(c -> read(c, now));
    } catch (SQLException e) {
      throw new IOException("fleet status: " + e.getMessage(), e);
    }
  }

  private ObjectNode read(Connection c, long now) throws SQLException {
    ObjectNode out = JSON.createObjectNode();
    out.put("now", now);
    out.put("witness", ledger.witnessName());
    ArrayNode trucks = out.putArray("trucks");
    int online = 0;
    for (Rows.Device d : ledger.store().devices(c)) {
      ObjectNode t = trucks.addObject();
      long last = Math.max(d.lastEntryAt().orElse(0L), d.lastCheckpointAt().orElse(0L));
      boolean on = last > 0 && now - last <= ONLINE.toMillis();
      online += on ? 1 : 0;
      t.put("fleet", d.fleet()).put("device", d.device()).put("state", d.state());
      t.put("online", on);
      putTime(t, "last_entry_at", d.lastEntryAt().orElse(null));
      putTime(t, "last_checkpoint_at", d.lastCheckpointAt().orElse(null));
      t.put("bound", d.confirmed());
      t.put("backlog", ledger.store().pendingCount(c, d.fleet(), d.device()));
      ledger
          .store()
          .latestCosigned(c, d.fleet(), d.device())
          .ifPresent(
              cp -> {
                t.put("cosigned_size", cp.size());
                putTime(t, "cosigned_at", cp.cosignedAt().orElse(null));
              });
      t.put(
          "evidence",
          count(
              c,
              "SELECT COUNT(*) FROM evidence WHERE fleet = ? AND device = ?",
              d.fleet(),
              d.device()));
    }
    out.put("online", online);
    out.put("offline", trucks.size() - online);
    out.set("evidence_by_kind", evidenceByKind(c));
    out.set("latest_evidence", latestEvidence(c));
    ObjectNode refused = out.putObject("refused_here");
    for (Map.Entry<String, Long> e : ledger.counters().entrySet()) {
      if (LedgerMetrics.isReject(e.getKey())) {
        refused.put(e.getKey(), e.getValue());
      }
    }
    out.set("lifts_today", liftsToday(c, now));
    return out;
  }

  private ObjectNode evidenceByKind(Connection c) throws SQLException {
    ObjectNode n = JSON.createObjectNode();
    try (PreparedStatement s =
            c.prepareStatement("SELECT kind, COUNT(*) FROM evidence GROUP BY kind ORDER BY kind");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        n.put(r.getString(1), r.getLong(2));
      }
    }
    return n;
  }

  private ArrayNode latestEvidence(Connection c) throws SQLException {
    ArrayNode a = JSON.createArrayNode();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT fleet, device, idx, kind, reason, received_at FROM evidence"
                + " ORDER BY received_at DESC, id DESC LIMIT "
                + LATEST_EVIDENCE)) {
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ObjectNode e = a.addObject();
          e.put("fleet", r.getString(1)).put("device", r.getString(2));
          long idx = r.getLong(3);
          if (!r.wasNull()) {
            e.put("index", idx);
          }
          e.put("kind", r.getString(4)).put("reason", r.getString(5));
          putTime(e, "at", r.getLong(6));
        }
      }
    }
    return a;
  }

  private ArrayNode liftsToday(Connection c, long now) throws SQLException {
    long midnight =
        LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneOffset.UTC)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .toEpochMilli();
    ArrayNode a = JSON.createArrayNode();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT device, idx, bin_tag, lat_e7, lon_e7, net, weight_decimals, weight_unit,"
                + " outcome FROM collections WHERE collected_at >= ? AND lat_e7 IS NOT NULL"
                + " AND lon_e7 IS NOT NULL ORDER BY collected_at LIMIT "
                + MAX_LIFTS)) {
      s.setLong(1, midnight);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ObjectNode l = a.addObject();
          l.put("device", r.getString(1)).put("index", r.getLong(2)).put("bin", r.getString(3));
          l.put("lat", r.getLong(4) / 1e7).put("lon", r.getLong(5) / 1e7);
          long net = r.getLong(6);
          if (!r.wasNull()) {
            l.put(
                "net",
                java.math.BigDecimal.valueOf(net, r.getInt(7)).toPlainString()
                    + " "
                    + r.getString(8));
          }
          l.put("outcome", r.getString(9));
        }
      }
    }
    return a;
  }

  private static long count(Connection c, String sql, String a, String b) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, a);
      s.setString(2, b);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static void putTime(ObjectNode n, String key, Long millis) {
    if (millis == null || millis == 0) {
      n.putNull(key);
    } else {
      n.put(key, java.time.Instant.ofEpochMilli(millis).toString());
    }
  }
}
