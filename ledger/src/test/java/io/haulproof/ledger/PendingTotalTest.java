package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingTotalTest {
  @TempDir Path dir;
  private LedgerStore store;
  private long next;

  @BeforeEach
  void open() throws Exception {
    store = new LedgerStore(Db.open(null, dir));
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Stores one candidate the way the ledger does (another instance would not tell us). */
  private void insertBehindItsBack() throws Exception {
    long idx = next++;
    store
        .db()
        .inTransaction(
            c ->
                store
                    .insertPending(
                        c,
                        "f",
                        "d",
                        java.util.List.of(
                            new Rows.Candidate(
                                idx,
                                Hash.of(new byte[32]),
                                "collection",
                                Optional.of(idx + 1),
                                Optional.of(Bytes.of(new byte[] {1})),
                                0,
                                true)))[0]);
  }

  private boolean reached(PendingTotal t, long now) throws Exception {
    return store.db().read(c -> t.reached(c, now));
  }

  @Test
  void reached_oneInstanceCountsItsOwnAdds_exactAtTheLimit() throws Exception {
    // given
    PendingTotal t = new PendingTotal(store, 3, 60_000);
    // when / then: every add is told, so the estimate is the count
    for (int i = 0; i < 3; i++) {
      assertThat(reached(t, 0)).isFalse();
      insertBehindItsBack();
      t.added();
    }
    assertThat(reached(t, 0)).isTrue();
  }

  @Test
  void reached_estimateAtLimitButRowsGone_recountsAndAllows() throws Exception {
    // given: the estimate says full, but bound entries left the table
    PendingTotal t = new PendingTotal(store, 2, 60_000);
    assertThat(reached(t, 0)).isFalse();
    t.added();
    t.added();
    // when / then: the table holds nothing, so the recount lets the next one in
    assertThat(reached(t, 0)).isFalse();
  }

  @Test
  void reached_othersAddedUnseen_seenOnceTheCountIsOlderThanRefresh() throws Exception {
    // given
    PendingTotal t = new PendingTotal(store, 2, 1_000);
    assertThat(reached(t, 0)).isFalse();
    insertBehindItsBack();
    insertBehindItsBack();
    // when / then: within the refresh the old count stands, after it the table is counted
    assertThat(reached(t, 999)).isFalse();
    assertThat(reached(t, 1_000)).isTrue();
  }
}
