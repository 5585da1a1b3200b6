package io.haulproof.ledger.store;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.Closeable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's SQL (docs/ledger.md "Storage"): one method per statement, each inside the caller's
 * transaction ({@link Db#inTransaction}). Other modules (auditor queries, billing export) read the
 * same tables through {@link #db()}.
 */
public final class LedgerStore implements Closeable {
  private final Db db;

  public LedgerStore(Db db) {
    this.db = db;
  }

  public Db db() {
    return db;
  }

  // ---- devices ----

  public Optional<Rows.Device> device(Connection c, String fleet, String device, boolean lock)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT fleet, device, cert_chain, cert_serial, state, confirmed, joined_at,"
                + " last_entry_at, last_checkpoint_at FROM devices WHERE fleet = ? AND device = ?"
                + (lock ? db.forUpdate() : ""))) {
      s.setString(1, fleet);
      s.setString(2, device);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(deviceRow(r)) : Optional.empty();
      }
    }
  }

  public List<Rows.Device> devices(Connection c) throws SQLException {
    List<Rows.Device> out = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT fleet, device, cert_chain, cert_serial, state, confirmed, joined_at,"
                    + " last_entry_at, last_checkpoint_at FROM devices ORDER BY fleet, device");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(deviceRow(r));
      }
    }
    return out;
  }

  private static Rows.Device deviceRow(ResultSet r) throws SQLException {
    return new Rows.Device(
        r.getString(1),
        r.getString(2),
        Bytes.wrap(r.getBytes(3)),
        r.getString(4),
        r.getString(5),
        r.getLong(6),
        r.getLong(7),
        optLong(r, 8),
        optLong(r, 9));
  }

  /** Inserts a device unless it is there; true if inserted. */
  public boolean insertDevice(
      Connection c, String fleet, String device, Bytes chain, String serial, long now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO devices (fleet, device, cert_chain, cert_serial, state, confirmed,"
                + " joined_at) VALUES (?, ?, ?, ?, 'active', 0, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setBytes(3, chain.toByteArray());
      s.setString(4, serial);
      s.setLong(5, now);
      return s.executeUpdate() == 1;
    }
  }

  public void setConfirmed(Connection c, String fleet, String device, long confirmed)
      throws SQLException {
    update(
        c,
        "UPDATE devices SET confirmed = ? WHERE fleet = ? AND device = ?",
        confirmed,
        fleet,
        device);
  }

  public void touch(Connection c, String fleet, String device, String column, long now)
      throws SQLException {
    if (!column.equals("last_entry_at") && !column.equals("last_checkpoint_at")) {
      throw new IllegalArgumentException(column);
    }
    update(
        c,
        "UPDATE devices SET " + column + " = ? WHERE fleet = ? AND device = ?",
        now,
        fleet,
        device);
  }

  public void revokeDevice(Connection c, String fleet, String device, long now)
      throws SQLException {
    update(
        c,
        "UPDATE devices SET state = 'revoked', revoked_at = ? WHERE fleet = ? AND device = ?"
            + " AND state <> 'revoked'",
        now,
        fleet,
        device);
  }

  // ---- keys ----

  public void insertKey(
      Connection c,
      String fleet,
      String device,
      String kid,
      Bytes spki,
      String source,
      long fromIndex)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO device_keys (fleet, device, kid, spki, source, from_index)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setString(3, kid);
      s.setBytes(4, spki.toByteArray());
      s.setString(5, source);
      s.setLong(6, fromIndex);
      s.executeUpdate();
    }
  }

  public void revokeKey(Connection c, String fleet, String device, String kid, long from)
      throws SQLException {
    update(
        c,
        "UPDATE device_keys SET revoked_from = ? WHERE fleet = ? AND device = ? AND kid = ?"
            + " AND revoked_from IS NULL",
        from,
        fleet,
        device,
        kid);
  }

  public List<Rows.Key> keys(Connection c, String fleet, String device) throws SQLException {
    List<Rows.Key> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT kid, spki, source, from_index, revoked_from FROM device_keys"
                + " WHERE fleet = ? AND device = ? ORDER BY from_index, kid")) {
      s.setString(1, fleet);
      s.setString(2, device);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new Rows.Key(
                  r.getString(1),
                  Bytes.wrap(r.getBytes(2)),
                  r.getString(3),
                  r.getLong(4),
                  optLong(r, 5)));
        }
      }
    }
    return out;
  }

  // ---- pending candidates ----

  /**
   * Inserts candidates unless the same (index, leaf, kind) is pending, in one JDBC batch; for each,
   * true if inserted.
   */
  public boolean[] insertPending(Connection c, String fleet, String device, List<Rows.Candidate> ps)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO pending (fleet, device, idx, leaf, kind, seq, cose, received_at,"
                + " verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (Rows.Candidate p : ps) {
        s.setString(1, fleet);
        s.setString(2, device);
        s.setLong(3, p.idx());
        s.setBytes(4, p.leaf().toByteArray());
        s.setString(5, p.kind());
        setOptLong(s, 6, p.seq());
        setOptBytes(s, 7, p.cose());
        s.setLong(8, p.receivedAt());
        s.setInt(9, p.verified() ? 1 : 0);
        s.addBatch();
      }
      int[] n = ps.isEmpty() ? new int[0] : s.executeBatch();
      boolean[] out = new boolean[n.length];
      for (int i = 0; i < n.length; i++) {
        out[i] = n[i] == 1;
      }
      return out;
    }
  }

  /**
   * In one query: how many candidates wait at each index {@code from <= idx < to} that has any, and
   * the device's unbound candidates in all and those signed by keys not known yet.
   */
  public Rows.PendingCounts pendingCounts(
      Connection c, String fleet, String device, long from, long to) throws SQLException {
    Map<Long, Long> perIndex = new HashMap<>();
    Rows.PendingStats stats = new Rows.PendingStats(0, 0);
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, COUNT(*), 0 FROM pending WHERE fleet = ? AND device = ? AND idx >= ? AND"
                + " idx < ? GROUP BY idx UNION ALL SELECT -1, COUNT(*),"
                + " COALESCE(SUM(CASE WHEN verified = 0 THEN 1 ELSE 0 END), 0)"
                + " FROM pending WHERE fleet = ? AND device = ?")) {
      bind(s, fleet, device, from, to, fleet, device);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          if (r.getLong(1) < 0) { // the device's totals (indexes are never negative)
            stats = new Rows.PendingStats(r.getLong(2), r.getLong(3));
          } else {
            perIndex.put(r.getLong(1), r.getLong(2));
          }
        }
      }
    }
    return new Rows.PendingCounts(perIndex, stats);
  }

  public long pendingCount(Connection c, String fleet, String device) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM pending WHERE fleet = ? AND device = ?", fleet, device);
  }

  public long pendingTotal(Connection c) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM pending");
  }

  /** Whether {@code leaf} is pending at an index other than {@code idx}. */
  public boolean pendingElsewhere(Connection c, String fleet, String device, Hash leaf, long idx)
      throws SQLException {
    return count(
            c,
            "SELECT COUNT(*) FROM pending WHERE fleet = ? AND device = ? AND leaf = ? AND idx <> ?",
            fleet,
            device,
            leaf.toByteArray(),
            idx)
        > 0;
  }

  /** Pending candidates with {@code from <= idx < to}, by index then arrival. */
  public List<Rows.Candidate> pending(Connection c, String fleet, String device, long from, long to)
      throws SQLException {
    List<Rows.Candidate> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, leaf, kind, seq, cose, received_at, verified FROM pending WHERE fleet = ? AND"
                + " device = ? AND idx >= ? AND idx < ? ORDER BY idx, received_at")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setLong(3, from);
      s.setLong(4, to);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(candidate(r));
        }
      }
    }
    return out;
  }

  /** Up to {@code limit} pending candidates of the device, farthest ahead first. */
  public List<Rows.Candidate> pendingFarthest(Connection c, String fleet, String device, int limit)
      throws SQLException {
    List<Rows.Candidate> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, leaf, kind, seq, cose, received_at, verified FROM pending WHERE fleet = ?"
                + " AND device = ? ORDER BY idx DESC LIMIT "
                + limit)) {
      s.setString(1, fleet);
      s.setString(2, device);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(candidate(r));
        }
      }
    }
    return out;
  }

  /** Pending signed candidates of {@code kind} whose signature verified on arrival. */
  public List<Rows.Candidate> pendingOfKind(Connection c, String fleet, String device, String kind)
      throws SQLException {
    List<Rows.Candidate> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, leaf, kind, seq, cose, received_at, verified FROM pending WHERE fleet = ?"
                + " AND device = ? AND kind = ? AND verified = 1 ORDER BY idx")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setString(3, kind);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(candidate(r));
        }
      }
    }
    return out;
  }

  /** How many distinct indexes in {@code [from, to)} have a pending candidate. */
  public long pendingIndexes(Connection c, String fleet, String device, long from, long to)
      throws SQLException {
    return count(
        c,
        "SELECT COUNT(DISTINCT idx) FROM pending WHERE fleet = ? AND device = ? AND idx >= ? AND"
            + " idx < ?",
        fleet,
        device,
        from,
        to);
  }

  /** The smallest cosigned checkpoint size above {@code size}, or -1. */
  public long nextCosignedSize(Connection c, String fleet, String device, long size)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT MIN(size) FROM checkpoints WHERE fleet = ? AND device = ? AND size > ? AND"
                + " cosigned_at IS NOT NULL")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setLong(3, size);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return -1;
        }
        long v = r.getLong(1);
        return r.wasNull() ? -1 : v;
      }
    }
  }

  /** The smallest index {@code >= from} with no pending candidate (the end of a contiguous run). */
  public long pendingRunEnd(Connection c, String fleet, String device, long from)
      throws SQLException {
    long i = from;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT DISTINCT idx FROM pending WHERE fleet = ? AND device = ? AND idx >= ?"
                + " ORDER BY idx")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setLong(3, from);
      try (ResultSet r = s.executeQuery()) {
        while (r.next() && r.getLong(1) == i) {
          i++;
        }
      }
    }
    return i;
  }

  public void deletePending(Connection c, String fleet, String device, Rows.Candidate p)
      throws SQLException {
    update(
        c,
        "DELETE FROM pending WHERE fleet = ? AND device = ? AND idx = ? AND leaf = ? AND kind = ?",
        fleet,
        device,
        p.idx(),
        p.leaf().toByteArray(),
        p.kind());
  }

  public void deletePendingBelow(Connection c, String fleet, String device, long below)
      throws SQLException {
    update(
        c, "DELETE FROM pending WHERE fleet = ? AND device = ? AND idx < ?", fleet, device, below);
  }

  private static Rows.Candidate candidate(ResultSet r) throws SQLException {
    byte[] cose = r.getBytes(5);
    return new Rows.Candidate(
        r.getLong(1),
        Hash.of(r.getBytes(2)),
        r.getString(3),
        optLong(r, 4),
        cose == null ? Optional.empty() : Optional.of(Bytes.wrap(cose)),
        r.getLong(6),
        r.getInt(7) == 1);
  }

  // ---- bound entries ----

  /**
   * Binds the pending candidates at {@code from <= idx < to} as entries, in one statement that
   * copies them inside the database (their COSE bytes do not travel back and forth); returns how
   * many were bound. The caller has removed every other candidate in that range first.
   */
  public int bindPending(
      Connection c, String fleet, String device, long from, long to, long now, long checkpointSize)
      throws SQLException {
    return update(
        c,
        "INSERT INTO entries (fleet, device, idx, kind, seq, leaf, cose, received_at, bound_at,"
            + " checkpoint_size) SELECT fleet, device, idx, kind, seq, leaf, cose, received_at, ?,"
            + " ? FROM pending WHERE fleet = ? AND device = ? AND idx >= ? AND idx < ?",
        now,
        checkpointSize,
        fleet,
        device,
        from,
        to);
  }

  public Optional<Rows.Candidate> entry(Connection c, String fleet, String device, long idx)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, leaf, kind, seq, cose, received_at, 1 FROM entries WHERE fleet = ? AND"
                + " device = ? AND idx = ?")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setLong(3, idx);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(candidate(r)) : Optional.empty();
      }
    }
  }

  /**
   * The lowest bound index holding each of {@code leaves} that is bound (queries of at most {@value
   * #IN_CHUNK} leaves).
   */
  public Map<Hash, Long> boundIndexes(
      Connection c, String fleet, String device, Collection<Hash> leaves) throws SQLException {
    Map<Hash, Long> out = new HashMap<>();
    List<Hash> all = new ArrayList<>(leaves);
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<Hash> part = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT leaf, idx FROM entries WHERE fleet = ? AND device = ? AND leaf IN ("
                  + String.join(", ", Collections.nCopies(part.size(), "?"))
                  + ") ORDER BY idx")) {
        s.setString(1, fleet);
        s.setString(2, device);
        for (int i = 0; i < part.size(); i++) {
          s.setBytes(3 + i, part.get(i).toByteArray());
        }
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.putIfAbsent(Hash.of(r.getBytes(1)), r.getLong(2));
          }
        }
      }
    }
    return out;
  }

  private static final int IN_CHUNK = 500;

  /** Bound entries of {@code kind} (e.g. key or loss entries), by index. */
  public List<Rows.Candidate> boundOfKind(Connection c, String fleet, String device, String kind)
      throws SQLException {
    List<Rows.Candidate> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, leaf, kind, seq, cose, received_at, 1 FROM entries WHERE fleet = ? AND"
                + " device = ? AND kind = ? ORDER BY idx")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setString(3, kind);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(candidate(r));
        }
      }
    }
    return out;
  }

  // ---- Merkle nodes ----

  public Optional<Hash> node(Connection c, String fleet, String device, int level, long idx)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT hash FROM merkle_nodes WHERE fleet = ? AND device = ? AND level = ? AND idx ="
                + " ?")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setInt(3, level);
      s.setLong(4, idx);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(Hash.of(r.getBytes(1))) : Optional.empty();
      }
    }
  }

  /** Inserts Merkle nodes, in one JDBC batch. */
  public void insertNodes(Connection c, String fleet, String device, List<Rows.Node> nodes)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO merkle_nodes (fleet, device, level, idx, hash) VALUES (?, ?, ?, ?, ?)")) {
      for (Rows.Node n : nodes) {
        s.setString(1, fleet);
        s.setString(2, device);
        s.setInt(3, n.level());
        s.setLong(4, n.idx());
        s.setBytes(5, n.hash().toByteArray());
        s.addBatch();
      }
      if (!nodes.isEmpty()) {
        s.executeBatch();
      }
    }
  }

  // ---- checkpoints ----

  /**
   * Stores a checkpoint with the witness's cosignature in one statement; a row already held at that
   * size without a cosignature keeps its root and note and gets the cosignature (one round trip
   * where an insert and an update took two).
   *
   * @return whether the row now holds this cosignature (false: it was cosigned already)
   */
  public boolean insertCosigned(
      Connection c,
      String fleet,
      String device,
      long size,
      Hash root,
      String note,
      long now,
      String witness,
      String kid,
      Bytes signature,
      long time)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO checkpoints (fleet, device, size, root, note, received_at, cosigned_at,"
                + " witness, witness_kid, cosignature, cosign_time)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (fleet, device, size) DO UPDATE SET"
                + " cosigned_at = excluded.cosigned_at, witness = excluded.witness,"
                + " witness_kid = excluded.witness_kid, cosignature = excluded.cosignature,"
                + " cosign_time = excluded.cosign_time WHERE checkpoints.cosigned_at IS NULL")) {
      s.setString(1, fleet);
      s.setString(2, device);
      s.setLong(3, size);
      s.setBytes(4, root.toByteArray());
      s.setString(5, note);
      s.setLong(6, now);
      s.setLong(7, now);
      s.setString(8, witness);
      s.setString(9, kid);
      s.setBytes(10, signature.toByteArray());
      s.setLong(11, time);
      return s.executeUpdate() == 1;
    }
  }

  private static final String CP_COLUMNS =
      "SELECT size, root, note, received_at, cosigned_at, witness, witness_kid, cosignature,"
          + " cosign_time FROM checkpoints WHERE fleet = ? AND device = ?";

  public Optional<Rows.Checkpoint> checkpoint(Connection c, String fleet, String device, long size)
      throws SQLException {
    List<Rows.Checkpoint> l = checkpoints(c, CP_COLUMNS + " AND size = ?", fleet, device, size);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** The largest cosigned checkpoint of the device. */
  public Optional<Rows.Checkpoint> latestCosigned(Connection c, String fleet, String device)
      throws SQLException {
    List<Rows.Checkpoint> l =
        checkpoints(
            c,
            CP_COLUMNS + " AND cosigned_at IS NOT NULL ORDER BY size DESC LIMIT 1",
            fleet,
            device);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** Verified checkpoints with {@code from < size <= to}, largest first. */
  public List<Rows.Checkpoint> checkpointsBetween(
      Connection c, String fleet, String device, long from, long to) throws SQLException {
    return checkpoints(
        c, CP_COLUMNS + " AND size > ? AND size <= ? ORDER BY size DESC", fleet, device, from, to);
  }

  /** Every checkpoint of the device, by size (auditors). */
  public List<Rows.Checkpoint> checkpoints(Connection c, String fleet, String device)
      throws SQLException {
    return checkpoints(c, CP_COLUMNS + " ORDER BY size", fleet, device);
  }

  private List<Rows.Checkpoint> checkpoints(Connection c, String sql, Object... args)
      throws SQLException {
    List<Rows.Checkpoint> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          byte[] sig = r.getBytes(8);
          out.add(
              new Rows.Checkpoint(
                  r.getLong(1),
                  Hash.of(r.getBytes(2)),
                  r.getString(3),
                  r.getLong(4),
                  optLong(r, 5),
                  Optional.ofNullable(r.getString(6)),
                  Optional.ofNullable(r.getString(7)),
                  sig == null ? Optional.empty() : Optional.of(Bytes.wrap(sig)),
                  optLong(r, 9)));
        }
      }
    }
    return out;
  }

  // ---- collections, evidence, CRLs ----

  /** Inserts collection rows, in one JDBC batch. */
  public void insertCollections(Connection c, List<CollectionRow> rows) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(CollectionRow.INSERT)) {
      for (CollectionRow row : rows) {
        row.bind(s);
        s.addBatch();
      }
      if (!rows.isEmpty()) {
        s.executeBatch();
      }
    }
  }

  /** Keeps what was refused or contradicted, as evidence. */
  public void insertEvidence(
      Connection c,
      String fleet,
      String device,
      Long idx,
      String kind,
      String reason,
      String topic,
      Bytes payload,
      long now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO evidence (fleet, device, idx, kind, reason, topic, payload, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, fleet);
      s.setString(2, device);
      if (idx == null) {
        s.setNull(3, Types.BIGINT);
      } else {
        s.setLong(3, idx);
      }
      s.setString(4, kind);
      s.setString(5, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
      s.setString(6, topic);
      if (payload == null) {
        s.setNull(7, Types.BINARY);
      } else {
        byte[] b = payload.toByteArray();
        s.setBytes(7, b.length > 65536 ? java.util.Arrays.copyOf(b, 65536) : b);
      }
      s.setLong(8, now);
      s.executeUpdate();
    }
  }

  public long evidenceCount(Connection c, String fleet, String device, String kind)
      throws SQLException {
    return count(
        c,
        "SELECT COUNT(*) FROM evidence WHERE fleet = ? AND device = ? AND kind = ?",
        fleet,
        device,
        kind);
  }

  public Optional<Long> crlNumber(Connection c, String issuer) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT crl_number FROM crls WHERE issuer = ?")) {
      s.setString(1, issuer);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
      }
    }
  }

  public List<Bytes> crls(Connection c) throws SQLException {
    List<Bytes> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT der FROM crls");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(Bytes.wrap(r.getBytes(1)));
      }
    }
    return out;
  }

  public void putCrl(Connection c, String issuer, long number, Bytes der, long now)
      throws SQLException {
    update(c, "DELETE FROM crls WHERE issuer = ?", issuer);
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO crls (issuer, crl_number, der, received_at) VALUES (?, ?, ?, ?)")) {
      s.setString(1, issuer);
      s.setLong(2, number);
      s.setBytes(3, der.toByteArray());
      s.setLong(4, now);
      s.executeUpdate();
    }
  }

  // ---- helpers ----

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  private static long count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof String str) {
        s.setString(i + 1, str);
      } else if (a instanceof Long l) {
        s.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        s.setInt(i + 1, n);
      } else if (a instanceof byte[] b) {
        s.setBytes(i + 1, b);
      } else {
        throw new IllegalArgumentException("unsupported parameter " + a);
      }
    }
  }

  private static Optional<Long> optLong(ResultSet r, int col) throws SQLException {
    long v = r.getLong(col);
    return r.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static void setOptBytes(PreparedStatement s, int i, Optional<Bytes> v)
      throws SQLException {
    if (v.isPresent()) {
      s.setBytes(i, v.get().toByteArray());
    } else {
      s.setNull(i, Types.BINARY);
    }
  }

  private static void setOptLong(PreparedStatement s, int i, Optional<Long> v) throws SQLException {
    if (v.isPresent()) {
      s.setLong(i, v.get());
    } else {
      s.setNull(i, Types.BIGINT);
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
