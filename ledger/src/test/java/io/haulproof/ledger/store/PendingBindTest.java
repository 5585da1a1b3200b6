package io.haulproof.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Candidates inserted in one batch say which were new, and binding copies a run of them into {@code
 * entries} inside the database, every field as it arrived.
 */
class PendingBindTest {
  @TempDir Path tmp;

  private static Rows.Candidate cand(long idx, int leaf) {
    return new Rows.Candidate(
        idx,
        Hash.sha256(Bytes.wrap(new byte[] {(byte) leaf, (byte) (leaf >> 8)})),
        "collection",
        Optional.of(idx + 1),
        Optional.of(Bytes.wrap(new byte[] {(byte) leaf, 7, 7})),
        1_000L + idx,
        true);
  }

  @Test
  void insertPending_newDuplicatedInTheBatchAndAlreadyPending_eachMarked() throws Exception {
    try (LedgerStore s = new LedgerStore(Db.open(null, tmp))) {
      // given candidate 0 pending already
      s.db().inTransaction(c -> s.insertPending(c, "f", "d", List.of(cand(0, 0))));
      // when a batch offers it again, a new one twice, and another new one
      boolean[] inserted =
          s.db()
              .inTransaction(
                  c ->
                      s.insertPending(
                          c, "f", "d", List.of(cand(0, 0), cand(1, 1), cand(1, 1), cand(2, 2))));
      // then
      assertThat(inserted).containsExactly(false, true, false, true);
      long pending = s.db().read(c -> s.pendingCount(c, "f", "d"));
      assertThat(pending).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 200}) // one, a checkpoint's run in the bench, a long backlog
  void insertPendingAndBind_manyRows_everyRowOnceAndBound(int n) throws Exception {
    try (LedgerStore s = new LedgerStore(Db.open(null, tmp))) {
      List<Rows.Candidate> cs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        cs.add(cand(i, i));
      }
      // when
      boolean[] inserted = s.db().inTransaction(c -> s.insertPending(c, "f", "d", cs));
      int bound = s.db().inTransaction(c -> s.bindPending(c, "f", "d", 0, n, 5_000L, n));
      // then
      for (boolean b : inserted) {
        assertThat(b).isTrue();
      }
      assertThat(bound).isEqualTo(n);
      Rows.Candidate last = s.db().read(c -> s.entry(c, "f", "d", n - 1)).orElseThrow();
      assertThat(last.leaf()).isEqualTo(cs.get(n - 1).leaf());
      assertThat(last.cose()).isEqualTo(cs.get(n - 1).cose());
      assertThat(last.seq()).contains((long) n);
      assertThat(last.receivedAt()).isEqualTo(1_000L + n - 1);
    }
  }
}
