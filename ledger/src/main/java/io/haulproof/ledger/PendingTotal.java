package io.haulproof.ledger;

import io.haulproof.ledger.store.LedgerStore;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The ledger-wide bound on unbound candidates, checked without counting the whole {@code pending}
 * table on every entry (that count grew with the backlog and ran once per entry). It keeps an upper
 * estimate: the last count plus every candidate this instance stored since. Below the limit the
 * estimate is enough; at the limit, or once the count is older than {@code refreshMillis}, the
 * table is counted again. On one instance the bound is exact; with N instances each sees the
 * others' additions within {@code refreshMillis}.
 */
final class PendingTotal {
  private final LedgerStore store;
  private final long limit;
  private final long refreshMillis;
  private long counted = -1;
  private long countedAt;
  private long added;

  PendingTotal(LedgerStore store, long limit, long refreshMillis) {
    this.store = store;
    this.limit = limit;
    this.refreshMillis = refreshMillis;
  }

  /** Whether one more candidate would pass the limit, counting again if the estimate says so. */
  synchronized boolean reached(Connection c, long now) throws SQLException {
    if (counted < 0 || now - countedAt >= refreshMillis || counted + added >= limit) {
      counted = store.pendingTotal(c);
      countedAt = now;
      added = 0;
    }
    return counted + added >= limit;
  }

  /** One candidate was stored. */
  synchronized void added() {
    added++;
  }
}
