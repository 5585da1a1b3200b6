package io.haulproof.ledger.store;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.merkle.NodeReader;
import io.haulproof.lightchain.merkle.ProofBuilder;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's RFC 9162 tree over {@code merkle_nodes}, inside one transaction: reads O(log n) rows
 * per root or proof, and appends leaves in memory until {@link #flush()} writes the new complete
 * subtrees. Never rebuilds anything.
 */
public final class DbTree implements NodeReader {
  private final LedgerStore store;
  private final Connection c;
  private final String fleet;
  private final String device;
  private final Map<Long, Hash> added = new LinkedHashMap<>();
  private final Map<Long, Hash> cache = new HashMap<>();
  private long size;

  public DbTree(LedgerStore store, Connection c, String fleet, String device, long size) {
    this.store = store;
    this.c = c;
    this.fleet = fleet;
    this.device = device;
    this.size = size;
  }

  private static long key(int level, long index) {
    return ((long) level << 56) | index;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Hash node(int level, long index) {
    long k = key(level, index);
    Hash h = added.get(k);
    if (h == null) {
      h = cache.get(k);
    }
    if (h == null) {
      try {
        h =
            store
                .node(c, fleet, device, level, index)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "merkle node ("
                                + level
                                + ", "
                                + index
                                + ") of "
                                + fleet
                                + "/"
                                + device
                                + " missing"));
      } catch (SQLException e) {
        throw new UncheckedIOException(new java.io.IOException(e));
      }
      cache.put(k, h);
    }
    return h;
  }

  /** Appends a leaf hash (in memory until {@link #flush()}). */
  public void append(Hash leaf) {
    long idx = size;
    added.put(key(0, idx), leaf);
    int level = 0;
    while ((idx & 1) == 1) {
      Hash right = node(level, idx);
      Hash left = node(level, idx - 1);
      idx >>= 1;
      level++;
      added.put(key(level, idx), Rfc9162.nodeHash(left, right));
    }
    size++;
  }

  public ProofBuilder proofs() {
    return new ProofBuilder(this);
  }

  public Hash root() {
    return proofs().root(size);
  }

  /** Writes the nodes appended since construction (one JDBC batch). */
  public void flush() throws SQLException {
    java.util.List<Rows.Node> nodes = new java.util.ArrayList<>(added.size());
    for (Map.Entry<Long, Hash> e : added.entrySet()) {
      int level = (int) (e.getKey() >>> 56);
      long index = e.getKey() & ((1L << 56) - 1);
      nodes.add(new Rows.Node(level, index, e.getValue()));
    }
    store.insertNodes(c, fleet, device, nodes);
    cache.putAll(added);
    added.clear();
  }
}
