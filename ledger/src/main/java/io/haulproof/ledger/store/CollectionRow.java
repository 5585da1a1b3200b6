package io.haulproof.ledger.store;

import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.QualityFlag;
import io.haulproof.lightchain.entry.Weighing;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import java.util.stream.Collectors;

/** The decoded facts of one bound collection entry: a {@code collections} row. */
public record CollectionRow(String fleet, String device, long idx, Entry entry, CollectionBody b) {
  static final String INSERT =
      "INSERT INTO collections (fleet, device, idx, seq, collected_at, time_source, bin_tag,"
          + " tag_technology, vehicle, tour, crew, lat_e7, lon_e7, fraction, volume_l,"
          + " weight_unit, weight_decimals, gross, tare, net, stable, below_min, over_max, tilt,"
          + " outcome, exception, quality_mask, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  /** The row of {@code entry} if it is a collection. */
  public static Optional<CollectionRow> of(String fleet, String device, long idx, Entry entry) {
    return entry.body() instanceof CollectionBody b
        ? Optional.of(new CollectionRow(fleet, device, idx, entry, b))
        : Optional.empty();
  }

  void bind(PreparedStatement s) throws SQLException {
    int i = 1;
    s.setString(i++, fleet);
    s.setString(i++, device);
    s.setLong(i++, idx);
    s.setLong(i++, entry.header().seq());
    s.setLong(i++, entry.header().wallTimeMillis());
    s.setString(i++, entry.header().timeSource().name());
    setText(s, i++, b.container().map(cr -> cr.rawId().toHex()));
    setText(s, i++, b.container().map(cr -> cr.technology().name()));
    s.setString(i++, b.operation().vehicleId());
    setText(s, i++, b.operation().routeId());
    setText(s, i++, b.operation().crewId());
    setInt(s, i++, b.position().map(p -> p.latE7()));
    setInt(s, i++, b.position().map(p -> p.lonE7()));
    setText(s, i++, b.service().map(sv -> sv.fraction()));
    setInt(s, i++, b.service().map(sv -> sv.volumeLitres()));
    Optional<Weighing> w = b.weighing();
    setText(s, i++, w.map(x -> x.unit().name()));
    setInt(s, i++, w.map(Weighing::decimals));
    setLong(s, i++, w.map(Weighing::gross));
    setLong(s, i++, w.map(Weighing::tare));
    setLong(s, i++, w.map(Weighing::net));
    setInt(s, i++, w.map(x -> x.stable() ? 1 : 0));
    setInt(s, i++, w.map(x -> x.belowMin() ? 1 : 0));
    setInt(s, i++, w.map(x -> x.overMax() ? 1 : 0));
    setInt(s, i++, w.map(x -> x.tilt() ? 1 : 0));
    s.setString(i++, b.outcome().name());
    setText(s, i++, b.exception().map(Enum::name));
    s.setLong(i++, QualityFlag.toMask(b.quality()));
    s.setString(i, b.quality().stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
  }

  private static void setText(PreparedStatement s, int i, Optional<String> v) throws SQLException {
    if (v.isPresent()) {
      s.setString(i, v.get());
    } else {
      s.setNull(i, Types.VARCHAR);
    }
  }

  private static void setInt(PreparedStatement s, int i, Optional<Integer> v) throws SQLException {
    if (v.isPresent()) {
      s.setInt(i, v.get());
    } else {
      s.setNull(i, Types.INTEGER);
    }
  }

  private static void setLong(PreparedStatement s, int i, Optional<Long> v) throws SQLException {
    if (v.isPresent()) {
      s.setLong(i, v.get());
    } else {
      s.setNull(i, Types.BIGINT);
    }
  }
}
