package io.haulproof.ledger;

import io.haulproof.ledger.audit.EvidenceSource;
import io.haulproof.ledger.audit.WitnessCosignature;
import io.haulproof.ledger.billing.StoredLift;
import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.poah.SignedEntry;
import io.haulproof.uplink.Topics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's own storage as an {@link EvidenceSource} for dispute bundles, and the collection
 * queries auditors and billing run ({@link Filter}): only bound entries (placed by a device-signed
 * checkpoint), read through the SQL store (SQLite or PostgreSQL), each proof from {@code
 * merkle_nodes} in O(log n) rows.
 */
public final class StoredEvidence implements EvidenceSource {
  /** Which collections: one of bin, vehicle or tour (or none: all), in [from, to). */
  public record Filter(
      Optional<String> bin,
      Optional<String> vehicle,
      Optional<String> tour,
      Instant from,
      Instant to) {
    public Filter {
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("from " + from + " is not before to " + to);
      }
      if (java.util.stream.Stream.of(bin, vehicle, tour).filter(Optional::isPresent).count() > 1) {
        throw new IllegalArgumentException("give at most one of bin, vehicle, tour");
      }
    }
  }

  /** Where a page of collections starts: after this (collected_at, fleet, device, idx). */
  public record Cursor(long collectedAt, String fleet, String device, long idx) {}

  /** A stored collection with its place, for paging. */
  public record Found(StoredLift lift, Cursor cursor) {}

  private final Ledger ledger;

  public StoredEvidence(Ledger ledger) {
    this.ledger = ledger;
  }

  /**
   * Up to {@code limit} bound collections matching {@code f} after {@code after}, in (time, fleet,
   * device, index) order, each with the latest cosigned checkpoint that covers it.
   */
  public List<Found> collections(Filter f, Optional<Cursor> after, int limit) throws IOException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT c.fleet, c.device, c.idx, c.collected_at, e.cose FROM collections c JOIN"
                + " entries e ON e.fleet = c.fleet AND e.device = c.device AND e.idx = c.idx"
                + " WHERE c.collected_at >= ? AND c.collected_at < ?");
    List<Object> args = new ArrayList<>(List.of(f.from().toEpochMilli(), f.to().toEpochMilli()));
    f.bin().ifPresent(b -> add(sql, args, " AND c.bin_tag = ?", b));
    f.vehicle().ifPresent(v -> add(sql, args, " AND c.vehicle = ?", v));
    f.tour().ifPresent(t -> add(sql, args, " AND c.tour = ?", t));
    after.ifPresent(
        a -> {
          sql.append(
              " AND (c.collected_at > ? OR (c.collected_at = ? AND (c.fleet > ? OR (c.fleet = ?"
                  + " AND (c.device > ? OR (c.device = ? AND c.idx > ?))))))");
          args.addAll(
              List.of(
                  a.collectedAt(),
                  a.collectedAt(),
                  a.fleet(),
                  a.fleet(),
                  a.device(),
                  a.device(),
                  a.idx()));
        });
    sql.append(" ORDER BY c.collected_at, c.fleet, c.device, c.idx LIMIT ").append(limit);
    try {
      return ledger
          .store()
          .db()
          .read(
              c -> {
                List<Found> out = new ArrayList<>();
                Map<String, Optional<Rows.Checkpoint>> witnessed = new LinkedHashMap<>();
                try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                  for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                  }
                  try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                      out.add(found(c, r, witnessed));
                    }
                  }
                }
                return out;
              });
    } catch (SQLException e) {
      throw new IOException("collections query: " + e.getMessage(), e);
    }
  }

  private Found found(Connection c, ResultSet r, Map<String, Optional<Rows.Checkpoint>> witnessed)
      throws SQLException {
    String fleet = r.getString(1);
    String device = r.getString(2);
    long idx = r.getLong(3);
    SignedEntry e;
    try {
      e = SignedEntry.parse(idx, Bytes.wrap(r.getBytes(5)));
    } catch (SignedEntry.MalformedEntryException ex) {
      throw new IllegalStateException("stored entry " + idx + " of " + device + ": " + ex, ex);
    }
    Optional<Rows.Checkpoint> cp =
        witnessed.computeIfAbsent(Topics.key(fleet, device), k -> latest(c, fleet, device));
    Optional<Rows.Checkpoint> covering = cp.filter(x -> x.size() > idx);
    StoredLift lift =
        new StoredLift(
            fleet,
            device,
            idx,
            e.entry().header(),
            (CollectionBody) e.entry().body(),
            covering.map(Rows.Checkpoint::size),
            covering.map(Rows.Checkpoint::root));
    return new Found(lift, new Cursor(r.getLong(4), fleet, device, idx));
  }

  private Optional<Rows.Checkpoint> latest(Connection c, String fleet, String device) {
    try {
      return ledger.store().latestCosigned(c, fleet, device);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void add(StringBuilder sql, List<Object> args, String clause, Object arg) {
    sql.append(clause);
    args.add(arg);
  }

  @Override
  public Map<LogRef, List<Long>> lifts(String bin, Instant from, Instant to) throws IOException {
    Map<LogRef, List<Long>> out = new LinkedHashMap<>();
    Optional<Cursor> after = Optional.empty();
    Filter f = new Filter(Optional.of(bin), Optional.empty(), Optional.empty(), from, to);
    while (true) {
      List<Found> page = collections(f, after, 1000);
      for (Found x : page) {
        out.computeIfAbsent(new LogRef(x.lift().fleet(), x.lift().device()), k -> new ArrayList<>())
            .add(x.lift().index());
      }
      if (page.size() < 1000) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).cursor());
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /** The bound lifts of a bin in a period (the join keeps to the rows {@link #lifts} sees). */
  private static final String LIFTS_OF_BIN =
      " FROM collections c JOIN entries e ON e.fleet = c.fleet AND e.device = c.device AND e.idx"
          + " = c.idx WHERE c.bin_tag = ? AND c.collected_at >= ? AND c.collected_at < ?";

  @Override
  public List<LogRef> liftingDevices(String bin, Instant from, Instant to) throws IOException {
    String sql =
        "SELECT c.fleet, c.device, MIN(c.collected_at) AS first_at"
            + LIFTS_OF_BIN
            + " GROUP BY c.fleet, c.device ORDER BY first_at, c.fleet, c.device";
    return read(
        c -> {
          List<LogRef> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, bin, from, to);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(new LogRef(r.getString(1), r.getString(2)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public long liftCount(LogRef log, String bin, Instant from, Instant to, long below)
      throws IOException {
    String sql =
        "SELECT COUNT(*)" + LIFTS_OF_BIN + " AND c.fleet = ? AND c.device = ? AND c.idx < ?";
    return read(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, bin, from, to);
            s.setString(4, log.fleet());
            s.setString(5, log.device());
            s.setLong(6, below);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getLong(1);
            }
          }
        });
  }

  @Override
  public List<Long> liftIndexes(
      LogRef log, String bin, Instant from, Instant to, long after, long below, int limit)
      throws IOException {
    String sql =
        "SELECT c.idx"
            + LIFTS_OF_BIN
            + " AND c.fleet = ? AND c.device = ? AND c.idx > ? AND c.idx < ? ORDER BY c.idx LIMIT "
            + Math.max(1, limit);
    return read(
        c -> {
          List<Long> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, bin, from, to);
            s.setString(4, log.fleet());
            s.setString(5, log.device());
            s.setLong(6, after);
            s.setLong(7, below);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(r.getLong(1));
              }
            }
          }
          return out;
        });
  }

  private static void bind(PreparedStatement s, String bin, Instant from, Instant to)
      throws SQLException {
    s.setString(1, bin);
    s.setLong(2, from.toEpochMilli());
    s.setLong(3, to.toEpochMilli());
  }

  @Override
  public Bytes entry(LogRef log, long index) {
    return ledger.device(new Topics(log.fleet(), log.device())).entry(index);
  }

  @Override
  public List<List<Bytes>> chains(LogRef log) throws IOException {
    Rows.Device d =
        read(c -> ledger.store().device(c, log.fleet(), log.device(), false))
            .orElseThrow(
                () -> new IOException("unknown device " + log.fleet() + "/" + log.device()));
    List<Bytes> chain = new ArrayList<>();
    try {
      for (java.security.cert.X509Certificate cert : DeviceRegistry.decodeChain(d.certChain())) {
        chain.add(Bytes.wrap(cert.getEncoded()));
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("stored chain of " + log.device() + ": " + e.getMessage(), e);
    }
    return List.of(chain);
  }

  @Override
  public Optional<Cosigned> latestCosigned(LogRef log) throws IOException {
    return read(c -> ledger.store().latestCosigned(c, log.fleet(), log.device()))
        .map(
            r ->
                new Cosigned(
                    r.note(),
                    r.size(),
                    new WitnessCosignature(
                        r.witness().orElseThrow(),
                        Kid.fromHex(r.witnessKid().orElseThrow()),
                        r.cosignTime().orElseThrow(),
                        r.cosignature().orElseThrow())));
  }

  @Override
  public List<Hash> inclusion(LogRef log, long index, long size) {
    return ledger.device(new Topics(log.fleet(), log.device())).inclusionProof(index, size);
  }

  private <T> T read(Db.Work<T> w) throws IOException {
    try {
      return ledger.store().db().read(w);
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
