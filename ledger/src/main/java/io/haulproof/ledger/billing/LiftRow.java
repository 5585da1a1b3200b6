package io.haulproof.ledger.billing;

import io.haulproof.ledger.facts.LiftFacts;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.entry.QualityFlag;
import io.haulproof.lightchain.entry.Service;
import io.haulproof.lightchain.entry.Weighing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the pay-as-you-throw export: one lift, with the facts billing needs and its evidence
 * reference (docs/ledger.md, "Pay-as-you-throw export"). Column order is {@link #COLUMNS}.
 */
public final class LiftRow {
  /** The columns, in CSV order; the JSON-lines keys are the same. */
  public static final List<String> COLUMNS =
      List.of(
          "bin",
          "time",
          "fleet",
          "device",
          "index",
          "seq",
          "vehicle",
          "tour",
          "outcome",
          "exception",
          "fraction",
          "volume_l",
          "unit",
          "gross",
          "tare",
          "net",
          "min",
          "stable",
          "below_min",
          "tilt",
          "over_max",
          "billable_by_weight",
          "not_billable_reasons",
          "quality_flags",
          "lat",
          "lon",
          "evidence",
          "checkpoint_size",
          "checkpoint_root");

  private final Map<String, Object> values;

  private LiftRow(Map<String, Object> values) {
    this.values = values;
  }

  /** The row of a stored lift; absent facts are null. */
  public static LiftRow of(StoredLift l) {
    CollectionBody c = l.body();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("bin", LiftFacts.binId(c).orElse(null));
    v.put("time", Instant.ofEpochMilli(l.header().wallTimeMillis()).toString());
    v.put("fleet", l.fleet());
    v.put("device", l.device());
    v.put("index", l.index());
    v.put("seq", l.header().seq());
    v.put("vehicle", c.operation().vehicleId());
    v.put("tour", c.operation().routeId().orElse(null));
    v.put("outcome", c.outcome().name().toLowerCase(Locale.ROOT));
    v.put(
        "exception",
        c.exception().map(ExceptionCode::name).map(s -> s.toLowerCase(Locale.ROOT)).orElse(null));
    v.put("fraction", c.service().map(Service::fraction).orElse(null));
    v.put("volume_l", c.service().map(Service::volumeLitres).orElse(null));
    Weighing w = c.weighing().orElse(null);
    v.put("unit", w == null ? null : w.unit().name().toLowerCase(Locale.ROOT));
    v.put("gross", w == null ? null : LiftFacts.displayed(w.gross(), w.decimals()));
    v.put("tare", w == null ? null : LiftFacts.displayed(w.tare(), w.decimals()));
    v.put("net", w == null ? null : LiftFacts.displayed(w.net(), w.decimals()));
    v.put("min", w == null ? null : LiftFacts.displayed(w.min(), w.decimals()));
    v.put("stable", w == null ? null : w.stable());
    v.put("below_min", w == null ? null : w.belowMin() || w.net() < w.min());
    v.put("tilt", w == null ? null : w.tilt());
    v.put("over_max", w == null ? null : w.overMax());
    List<String> reasons =
        w == null ? List.of("not_weighed") : new ArrayList<>(LiftFacts.notBillableReasons(w));
    v.put("billable_by_weight", reasons.isEmpty());
    v.put("not_billable_reasons", String.join(";", reasons));
    v.put(
        "quality_flags",
        String.join(
            ";",
            c.quality().stream()
                .sorted()
                .map(QualityFlag::name)
                .map(s -> s.toLowerCase(Locale.ROOT))
                .toList()));
    v.put("lat", c.position().map(p -> p.latitude()).orElse(null));
    v.put("lon", c.position().map(p -> p.longitude()).orElse(null));
    v.put("evidence", l.fleet() + "/" + l.device() + "/" + l.index());
    v.put("checkpoint_size", l.checkpointSize().orElse(null));
    v.put("checkpoint_root", l.checkpointRoot().map(h -> h.toHex()).orElse(null));
    return new LiftRow(v);
  }

  /** The value of a column: String, Long, Integer, Boolean, BigDecimal, Double or null. */
  public Object get(String column) {
    if (!values.containsKey(column)) {
      throw new IllegalArgumentException("no column '" + column + "'");
    }
    return values.get(column);
  }

  /** All values in column order. */
  public Map<String, Object> values() {
    return java.util.Collections.unmodifiableMap(values);
  }
}
