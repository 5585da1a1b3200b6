package io.haulproof.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} and Prometheus {@code /metrics} for the ledger: every counter as {@code
 * haulproof_ledger_events_total{event="…"}} (ingest rate = rate of {@code entry.bound}; rejects,
 * conflicts and refusals by reason), and per device the bound entries, the lag (entries its latest
 * cosigned checkpoint covers that are not bound yet) and pending candidates.
 */
public final class LedgerMetrics {
  private final Ledger ledger;
  private final BooleanSupplier mqttConnected;

  public LedgerMetrics(Ledger ledger, BooleanSupplier mqttConnected) {
    this.ledger = ledger;
    this.mqttConnected = mqttConnected;
  }

  /** Health: the database answers and the broker connection is up. */
  public record Health(boolean up, boolean database, boolean broker, String detail) {}

  public Health health() {
    boolean db;
    String detail = "";
    try {
      ledger.store().db().read(c -> ledger.store().devices(c).size());
      db = true;
    } catch (SQLException | RuntimeException e) {
      db = false;
      detail = "database: " + e.getMessage();
    }
    boolean broker = mqttConnected.getAsBoolean();
    if (!broker) {
      detail = (detail.isEmpty() ? "" : detail + "; ") + "broker: not connected";
    }
    return new Health(db && broker, db, broker, detail);
  }

  /** The Prometheus text exposition (format 0.0.4). */
  public String prometheus() throws SQLException {
    StringBuilder b = new StringBuilder();
    b.append(
        "# HELP haulproof_ledger_events_total Ledger events by kind (counters since start).\n");
    b.append("# TYPE haulproof_ledger_events_total counter\n");
    for (Map.Entry<String, Long> e : ledger.counters().entrySet()) {
      b.append("haulproof_ledger_events_total{event=\"")
          .append(escape(e.getKey()))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    b.append("# HELP haulproof_ledger_up 1 if the database answers and the broker is connected.\n");
    b.append("# TYPE haulproof_ledger_up gauge\n");
    b.append("haulproof_ledger_up ").append(health().up() ? 1 : 0).append('\n');
    b.append("# HELP haulproof_ledger_device_bound Entries bound per device.\n");
    b.append("# TYPE haulproof_ledger_device_bound gauge\n");
    StringBuilder lag = new StringBuilder();
    lag.append(
        "# HELP haulproof_ledger_device_lag Entries a cosigned checkpoint covers, not bound.\n");
    lag.append("# TYPE haulproof_ledger_device_lag gauge\n");
    StringBuilder pend = new StringBuilder();
    pend.append("# HELP haulproof_ledger_device_pending Unbound candidates per device.\n");
    pend.append("# TYPE haulproof_ledger_device_pending gauge\n");
    ledger
        .store()
        .db()
        .read(
            c -> {
              try (PreparedStatement s =
                      c.prepareStatement(
                          "SELECT d.fleet, d.device, d.confirmed,"
                              + " (SELECT MAX(size) FROM checkpoints k WHERE k.fleet = d.fleet AND"
                              + " k.device = d.device AND k.cosigned_at IS NOT NULL),"
                              + " (SELECT COUNT(*) FROM pending p WHERE p.fleet = d.fleet AND"
                              + " p.device = d.device) FROM devices d ORDER BY d.fleet, d.device");
                  ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  String labels =
                      "{fleet=\""
                          + escape(r.getString(1))
                          + "\",device=\""
                          + escape(r.getString(2))
                          + "\"} ";
                  long bound = r.getLong(3);
                  long cosigned = r.getLong(4);
                  b.append("haulproof_ledger_device_bound")
                      .append(labels)
                      .append(bound)
                      .append('\n');
                  lag.append("haulproof_ledger_device_lag")
                      .append(labels)
                      .append(Math.max(0, cosigned - bound))
                      .append('\n');
                  pend.append("haulproof_ledger_device_pending")
                      .append(labels)
                      .append(r.getLong(5))
                      .append('\n');
                }
              }
              return null;
            });
    return b.append(lag).append(pend).toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
