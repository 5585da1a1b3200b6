package io.haulproof.ledger;

import io.haulproof.ledger.testing.PostgresProcess;
import org.junit.jupiter.api.AfterEach;

/**
 * Every attack of {@link LedgerAttackIT} against a ledger on a real PostgreSQL (Debian's server,
 * initdb in a temp dir, stopped by PID), where row locks and the connection pool replace SQLite's
 * single writer.
 */
class LedgerAttackPostgresIT extends LedgerAttackIT {
  private PostgresProcess pg;

  @Override
  protected String database() throws Exception {
    pg = PostgresProcess.start();
    return pg.newDatabase();
  }

  @AfterEach
  void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }
}
