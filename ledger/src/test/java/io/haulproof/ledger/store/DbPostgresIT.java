package io.haulproof.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.ledger.testing.PostgresProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection pool against a real PostgreSQL that goes away and comes back. */
class DbPostgresIT {
  @TempDir Path tmp;
  private PostgresProcess pg;
  private String url;
  private String name;

  @BeforeEach
  void startPostgres() throws Exception {
    pg = PostgresProcess.start();
    url = pg.newDatabase();
    name = url.substring(url.lastIndexOf('/') + 1);
  }

  @AfterEach
  void stopPostgres() throws Exception {
    pg.close();
  }

  @Test
  void transaction_afterAnOutageLongerThanThePool_succeedsOnceTheDatabaseIsBack() throws Exception {
    try (Db db = Db.open(url, tmp)) {
      // given a working pool
      assertThat(db.read(DbPostgresIT::one)).isEqualTo(1);
      long opened = db.connectionsOpened();
      // when the database refuses new connections and drops every open one (a restart, a failover)
      try (Connection admin = pg.connect(url.substring(0, url.lastIndexOf('/') + 1) + "postgres")) {
        admin(admin, "ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        admin(
            admin,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + name
                + "'");
        // then every transaction in the outage fails at once with the reason, more than the pool
        // holds (8), and none waits for a connection
        for (int i = 0; i < 20; i++) {
          // (bounded: a pool that lost its slots makes a borrower wait 60 s for a connection)
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () ->
                  assertThatThrownBy(() -> db.read(DbPostgresIT::one))
                      .isInstanceOf(SQLException.class));
        }
        assertThatThrownBy(() -> db.read(DbPostgresIT::one))
            .hasMessageContaining("cannot reach the ledger database")
            .hasMessageContaining("not currently accepting connections");
        // and once the database takes connections again, the pool is whole again
        admin(admin, "ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
      }
      for (int i = 0; i < 20; i++) {
        assertThat(db.read(DbPostgresIT::one)).isEqualTo(1);
      }
      assertThat(db.connectionsOpened()).isGreaterThan(opened);
    }
  }

  private static int one(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static void admin(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
