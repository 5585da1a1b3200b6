package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.agent.testing.CapturedOutput;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof bench ledger-fill} in-process on SQLite, with a fleet CA from {@code --init-ca}.
 */
class BenchLedgerFillTest {
  @RegisterExtension final CapturedOutput captured = new CapturedOutput();
  private final ByteArrayOutputStream out = captured.out();

  @TempDir Path dir;

  private static long count(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void ledgerFill_twoDevices_everyEntryBoundUnderCosignedCheckpoints() throws Exception {
    // given a fleet CA
    Path ca = dir.resolve("ca");
    Path data = dir.resolve("ledger");
    assertThat(Main.run("bench", "fleet", "--init-ca", "--ca-dir", ca.toString())).isZero();
    out.reset();
    // when
    int rc =
        Main.run(
            "bench",
            "ledger-fill",
            "--data-dir",
            data.toString(),
            "--ca-dir",
            ca.toString(),
            "--devices",
            "2",
            "--entries-per-device",
            "30",
            "--checkpoint-every",
            "10");
    // then the last line counts what the ledger bound, and the database holds it
    assertThat(rc).isZero();
    JsonNode line = captured.lastJson();
    assertThat(line.get("devices").asInt()).isEqualTo(2);
    assertThat(line.get("entries").asLong()).isEqualTo(60);
    assertThat(line.get("checkpoints").asLong()).isEqualTo(6);
    Path db = data.resolve("ledger.db");
    assertThat(count(db, "SELECT COUNT(*) FROM entries")).isEqualTo(60);
    assertThat(count(db, "SELECT COUNT(*) FROM collections")).isEqualTo(60);
    assertThat(count(db, "SELECT COUNT(*) FROM checkpoints WHERE cosigned_at IS NOT NULL"))
        .isEqualTo(6);
    assertThat(count(db, "SELECT SUM(confirmed) FROM devices")).isEqualTo(60);
    assertThat(count(db, "SELECT COUNT(*) FROM pending")).isZero();
    assertThat(data.resolve("witness/witness.pub.pem")).exists();
  }

  @Test
  void ledgerFill_noFleetCa_failsWithoutTouchingAnything() throws Exception {
    // when
    int rc =
        Main.run(
            "bench",
            "ledger-fill",
            "--data-dir",
            dir.resolve("ledger").toString(),
            "--ca-dir",
            dir.resolve("no-ca").toString(),
            "--devices",
            "1");
    int zero =
        Main.run(
            "bench",
            "ledger-fill",
            "--data-dir",
            dir.resolve("ledger").toString(),
            "--ca-dir",
            dir.resolve("no-ca").toString(),
            "--devices",
            "0");
    // then
    assertThat(rc).isEqualTo(Main.EXIT_CHECK_FAILED);
    assertThat(zero).isEqualTo(Main.EXIT_USAGE);
    assertThat(Files.exists(dir.resolve("ledger/ledger.db"))).isFalse();
  }
}
