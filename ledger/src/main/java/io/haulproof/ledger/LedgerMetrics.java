package io.haulproof.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * {@code /health} and Prometheus {@code /metrics} for the ledger: every counter as {@code
 * haulproof_ledger_events_total{event="…"}} (ingest rate = rate of {@code entry.bound}; rejects,
 * conflicts and refusals by reason), and per device the bound entries, the lag (entries its latest
 * cosigned checkpoint covers that are not bound yet) and pending candidates; the ingest lanes'
 * queue depth against its bound, and the messages shed past it ({@link DeviceLanes}).
 */
public final class LedgerMetrics {
  /** Counters of entries stored durably for the first time (bound at once or held). */
  static final Set<String> STORED =
      Set.of("entry.stored", "entry.buffered", "lost.stored", "lost.buffered");

  /** Counters of entries bound under a device-signed checkpoint. */
  static final Set<String> BOUND = Set.of("entry.bound", "lost.bound");

  /** Counters of contradictions kept as evidence. */
  static final Set<String> CONFLICTS =
      Set.of("entry.conflict", "lost.conflict", "receipt.conflict");

  /**
   * Counters that are not a refused message: normal flow, conflicts (counted on their own), joins
   * and CRLs applied. Every other counter is a refusal and its name is the reason.
   */
  private static final Set<String> NOT_REJECTS =
      Set.of(
          "entry.stored",
          "entry.buffered",
          "entry.bound",
          "entry.duplicate",
          "entry.signature_known",
          "entry.duplicate_known",
          "entry.conflict",
          "lost.stored",
          "lost.buffered",
          "lost.bound",
          "lost.duplicate",
          "lost.conflict",
          "receipt.cosigned",
          "receipt.conflict",
          "checkpoint.stale",
          "join.enrollment",
          "join.key_entry",
          "crl.applied",
          "http.event_loop_blocked",
          "lane.shed");

  private final Ledger ledger;
  private final BooleanSupplier mqttConnected;
  private final Clock clock;
  private final IntSupplier laneQueueDepth;
  private final int laneQueueBound;

  /** Without ingest lanes (HTTP only): no lane queue gauges. */
  public LedgerMetrics(Ledger ledger, BooleanSupplier mqttConnected) {
    this(ledger, mqttConnected, null, 0, Clock.systemUTC());
  }

  /**
   * @param laneQueueDepth messages waiting on the ingest lanes now ({@link
   *     LedgerService#laneQueueDepth})
   * @param laneQueueBound the most that may wait before messages are shed
   */
  public LedgerMetrics(
      Ledger ledger,
      BooleanSupplier mqttConnected,
      IntSupplier laneQueueDepth,
      int laneQueueBound) {
    this(ledger, mqttConnected, laneQueueDepth, laneQueueBound, Clock.systemUTC());
  }

  LedgerMetrics(Ledger ledger, BooleanSupplier mqttConnected, Clock clock) {
    this(ledger, mqttConnected, null, 0, clock);
  }

  LedgerMetrics(
      Ledger ledger,
      BooleanSupplier mqttConnected,
      IntSupplier laneQueueDepth,
      int laneQueueBound,
      Clock clock) {
    this.ledger = ledger;
    this.mqttConnected = mqttConnected;
    this.laneQueueDepth = laneQueueDepth;
    this.laneQueueBound = laneQueueBound;
    this.clock = clock;
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
    long now = clock.millis();
    Map<String, Long> counters = ledger.counters();
    StringBuilder b = new StringBuilder();
    b.append(
        "# HELP haulproof_ledger_events_total Ledger events by kind (counters since start).\n");
    b.append("# TYPE haulproof_ledger_events_total counter\n");
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      b.append("haulproof_ledger_events_total{event=\"")
          .append(escape(e.getKey()))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    counter(
        b,
        "haulproof_ledger_entries_stored_total",
        "Entries (and loss entries) this instance stored durably for the first time.",
        sum(counters, STORED));
    counter(
        b,
        "haulproof_ledger_entries_bound_total",
        "Entries (and loss entries) this instance bound under a device-signed checkpoint.",
        sum(counters, BOUND));
    b.append("# HELP haulproof_ledger_rejects_total Messages this instance refused, by reason.\n");
    b.append("# TYPE haulproof_ledger_rejects_total counter\n");
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (isReject(e.getKey())) {
        b.append("haulproof_ledger_rejects_total{reason=\"")
            .append(escape(e.getKey()))
            .append("\"} ")
            .append(e.getValue())
            .append('\n');
      }
    }
    counter(
        b,
        "haulproof_ledger_conflicts_total",
        "Entries and checkpoints this instance found contradicting what it holds.",
        sum(counters, CONFLICTS));
    counter(
        b,
        "haulproof_ledger_lane_shed_total",
        "Messages refused because the ingest lanes held their bound (the session is dropped and"
            + " the broker redelivers; check its max_inflight_messages).",
        counters.getOrDefault("lane.shed", 0L));
    if (laneQueueDepth != null) {
      gauge(
          b,
          "haulproof_ledger_lane_queue_depth",
          "Messages waiting on the ingest lanes (not yet running).",
          laneQueueDepth.getAsInt());
      gauge(
          b,
          "haulproof_ledger_lane_queue_bound",
          "Messages that may wait on the ingest lanes; past it they are shed.",
          laneQueueBound);
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
    StringBuilder seen = new StringBuilder();
    seen.append(
        "# HELP haulproof_ledger_device_last_seen_seconds Seconds since the device's last entry"
            + " or checkpoint reached any instance (absent: never).\n");
    seen.append("# TYPE haulproof_ledger_device_last_seen_seconds gauge\n");
    StringBuilder evidence = new StringBuilder();
    evidence.append(
        "# HELP haulproof_ledger_evidence Evidence rows in the database (all instances), by"
            + " kind.\n");
    evidence.append("# TYPE haulproof_ledger_evidence gauge\n");
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
                              + " p.device = d.device), d.last_entry_at, d.last_checkpoint_at"
                              + " FROM devices d ORDER BY d.fleet, d.device");
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
                  long last = Math.max(r.getLong(6), r.getLong(7));
                  if (last > 0) {
                    seen.append("haulproof_ledger_device_last_seen_seconds")
                        .append(labels)
                        .append(Math.max(0, now - last) / 1000)
                        .append('\n');
                  }
                }
              }
              try (PreparedStatement s =
                      c.prepareStatement(
                          "SELECT kind, COUNT(*) FROM evidence GROUP BY kind ORDER BY kind");
                  ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  evidence
                      .append("haulproof_ledger_evidence{kind=\"")
                      .append(escape(r.getString(1)))
                      .append("\"} ")
                      .append(r.getLong(2))
                      .append('\n');
                }
              }
              return null;
            });
    return b.append(lag).append(pend).append(seen).append(evidence).toString();
  }

  /**
   * Whether a counter of {@link Ledger#counters()} counts refused messages (its name the reason).
   */
  static boolean isReject(String counter) {
    return !NOT_REJECTS.contains(counter);
  }

  private static void counter(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  private static long sum(Map<String, Long> counters, Set<String> names) {
    long n = 0;
    for (String k : names) {
      n += counters.getOrDefault(k, 0L);
    }
    return n;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
