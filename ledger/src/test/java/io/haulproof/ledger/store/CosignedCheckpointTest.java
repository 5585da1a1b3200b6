package io.haulproof.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cosigned checkpoint is stored in one statement, and a cosignature is never replaced. */
class CosignedCheckpointTest {
  @TempDir Path tmp;

  private static final Hash ROOT = Hash.sha256(Bytes.wrap(new byte[] {1}));
  private static final Hash OTHER = Hash.sha256(Bytes.wrap(new byte[] {2}));

  private static boolean cosign(LedgerStore s, Hash root, String note, byte sig) throws Exception {
    return s.db()
        .inTransaction(
            c ->
                s.insertCosigned(
                    c,
                    "fleet-a",
                    "truck-1",
                    5,
                    root,
                    note,
                    1_000L,
                    "witness.test",
                    "ab",
                    Bytes.wrap(new byte[] {sig}),
                    1L));
  }

  private static Rows.Checkpoint row(LedgerStore s) throws Exception {
    return s.db().read(c -> s.checkpoint(c, "fleet-a", "truck-1", 5)).orElseThrow();
  }

  @Test
  void insertCosigned_twice_firstCosignatureKept() throws Exception {
    try (LedgerStore s = new LedgerStore(Db.open(null, tmp))) {
      // when
      boolean first = cosign(s, ROOT, "note 1", (byte) 1);
      boolean second = cosign(s, OTHER, "note 2", (byte) 2);
      // then
      assertThat(first).isTrue();
      assertThat(second).isFalse();
      Rows.Checkpoint r = row(s);
      assertThat(r.cosigned()).isTrue();
      assertThat(r.root()).isEqualTo(ROOT);
      assertThat(r.note()).isEqualTo("note 1");
      assertThat(r.cosignature()).contains(Bytes.wrap(new byte[] {1}));
    }
  }

  @Test
  void insertCosigned_rowWithoutCosignature_cosignedKeepingItsRootAndNote() throws Exception {
    try (LedgerStore s = new LedgerStore(Db.open(null, tmp))) {
      // given a row as an older ledger left it between its insert and its update
      s.db()
          .inTransaction(
              c -> {
                try (PreparedStatement p =
                    c.prepareStatement(
                        "INSERT INTO checkpoints (fleet, device, size, root, note, received_at)"
                            + " VALUES ('fleet-a', 'truck-1', 5, ?, 'note 0', 500)")) {
                  p.setBytes(1, ROOT.toByteArray());
                  p.executeUpdate();
                }
                return null;
              });
      // when
      boolean stored = cosign(s, OTHER, "note 2", (byte) 2);
      // then
      assertThat(stored).isTrue();
      Rows.Checkpoint r = row(s);
      assertThat(r.cosigned()).isTrue();
      assertThat(r.root()).isEqualTo(ROOT);
      assertThat(r.note()).isEqualTo("note 0");
      assertThat(r.cosignature()).contains(Bytes.wrap(new byte[] {2}));
    }
  }
}
