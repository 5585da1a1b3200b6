package io.haulproof.ledger.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's database: SQLite under the data dir (one connection: SQLite has one writer) or
 * PostgreSQL ({@code postgresql://user@host:port/db}, a small pool), migrated by Flyway on open.
 *
 * <p>Guarantees: {@link #inTransaction} commits before it returns (SQLite {@code synchronous=FULL},
 * PostgreSQL's default durable commit), so whatever a caller acknowledges after it is durable; a
 * serialization failure or deadlock is retried with the whole unit of work.
 */
public final class Db implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  /** The SQL engine. */
  public enum Engine {
    SQLITE,
    POSTGRESQL
  }

  /** One unit of work inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Engine engine;
  private final String url;
  private final Properties props;

  /** Names of Vert.x event-loop threads, on which {@link #borrow} refuses to block. */
  static final String EVENT_LOOP_THREAD = "vert.x-eventloop-thread-";

  /**
   * The pool's slots, each with a connection or empty: a broken connection leaves its slot empty
   * and the next borrower of the slot connects again. So while the database cannot be reached each
   * transaction fails at once with the reason, and once it is back the pool is whole again; a slot
   * dropped on a failed reconnect would have left the pool empty for good after a short outage.
   */
  private final BlockingQueue<Slot> pool;

  private final List<Connection> all = new ArrayList<>();

  /** A pool slot; {@code connection} is null while it waits to be opened again. */
  private record Slot(Connection connection) {
    static final Slot EMPTY = new Slot(null);
  }

  private final ThreadLocal<Connection> current = new ThreadLocal<>();

  /** Connections opened so far, the pool's first ones included (see {@link #connectionsOpened}). */
  private final AtomicLong opened = new AtomicLong();

  /** Transactions begun so far, each retry counted (see {@link #transactions}). */
  private final AtomicLong begun = new AtomicLong();

  private Db(Engine engine, String url, Properties props, int size) throws SQLException {
    this.engine = engine;
    this.url = url;
    this.props = props;
    this.pool = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      Connection c = connect();
      all.add(c);
      pool.add(new Slot(c));
    }
  }

  /**
   * Opens {@code db} ({@code postgresql://…}), or without it {@code dataDir/ledger.db} (SQLite),
   * and migrates the schema.
   *
   * @throws IOException if the database cannot be opened or migrated
   */
  public static Db open(String db, Path dataDir) throws IOException {
    try {
      Db d;
      if (db == null || db.isBlank()) {
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "FULL");
        p.setProperty("busy_timeout", "30000");
        p.setProperty("foreign_keys", "true");
        d = new Db(Engine.SQLITE, "jdbc:sqlite:" + dataDir.resolve("ledger.db"), p, 1);
      } else if (db.startsWith("postgresql://") || db.startsWith("postgres://")) {
        d = postgres(db);
      } else if (db.startsWith("sqlite:")) {
        d = new Db(Engine.SQLITE, "jdbc:" + db, new Properties(), 1);
      } else {
        throw new IOException(
            "--db " + redact(db) + ": want postgresql://user@host:port/database or sqlite:FILE");
      }
      d.migrate();
      return d;
    } catch (SQLException | RuntimeException e) {
      throw new IOException(
          "cannot open the ledger database "
              + (db == null ? dataDir.resolve("ledger.db").toString() : redact(db))
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static Db postgres(String db) throws SQLException {
    URI u = URI.create(db);
    Properties p = new Properties();
    String userInfo = u.getRawUserInfo();
    if (userInfo != null) {
      String[] up = userInfo.split(":", 2);
      p.setProperty("user", URLDecoder.decode(up[0], StandardCharsets.UTF_8));
      if (up.length == 2) {
        p.setProperty("password", URLDecoder.decode(up[1], StandardCharsets.UTF_8));
      }
    }
    String pw = System.getenv("PGPASSWORD");
    if (pw != null && !p.containsKey("password")) {
      p.setProperty("password", pw);
    }
    String query = u.getRawQuery();
    if (query != null) {
      for (String kv : query.split("&")) {
        String[] a = kv.split("=", 2);
        p.setProperty(
            URLDecoder.decode(a[0], StandardCharsets.UTF_8),
            a.length == 2 ? URLDecoder.decode(a[1], StandardCharsets.UTF_8) : "");
      }
    }
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String jdbc = "jdbc:postgresql://" + u.getHost() + ":" + port + u.getRawPath();
    int size = Integer.getInteger("haulproof.ledger.dbPool", 8);
    return new Db(Engine.POSTGRESQL, jdbc, p, size);
  }

  /** {@code db} with any password replaced, for messages and logs. */
  public static String redact(String db) {
    return db.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@");
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, props);
    opened.incrementAndGet();
    if (engine == Engine.SQLITE) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=30000");
      }
    }
    return c;
  }

  private void migrate() {
    Flyway.configure()
        .dataSource(url, props.getProperty("user"), props.getProperty("password"))
        .locations("classpath:db/ledger")
        .placeholders(
            Map.of(
                "bytes", engine == Engine.SQLITE ? "BLOB" : "BYTEA",
                "id",
                    engine == Engine.SQLITE
                        ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                        : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"))
        .load()
        .migrate();
  }

  public Engine engine() {
    return engine;
  }

  /** {@code " FOR UPDATE"} where the engine has row locks (SQLite has one writer instead). */
  public String forUpdate() {
    return engine == Engine.POSTGRESQL ? " FOR UPDATE" : "";
  }

  /**
   * Runs {@code work} in one transaction and commits; retries on serialization failures and
   * deadlocks (PostgreSQL 40001/40P01, SQLite busy). Called inside another transaction on the same
   * thread, it joins that one.
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    return inTransaction(work, true);
  }

  /**
   * Like {@link #inTransaction(Work)}, but on PostgreSQL the commit does not wait for the WAL flush
   * ({@code synchronous_commit off} for this transaction only). For work whose loss in a crash
   * costs only a resend: a candidate entry the device still holds. Any later synchronous commit
   * that writes flushes the WAL up to itself, so what a receipt (always from a synchronous
   * transaction that writes) reports is durable. On SQLite it is {@link #inTransaction(Work)}.
   */
  public <T> T inTransactionAsyncCommit(Work<T> work) throws SQLException {
    return inTransaction(work, false);
  }

  private <T> T inTransaction(Work<T> work, boolean durable) throws SQLException {
    Connection outer = current.get();
    if (outer != null) {
      return work.run(outer); // nested: joins the caller's transaction
    }
    for (int attempt = 1; ; attempt++) {
      Connection c = borrow();
      begun.incrementAndGet();
      boolean broken = false;
      try {
        c.setAutoCommit(false);
        current.set(c);
        if (!durable && engine == Engine.POSTGRESQL) {
          try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit TO OFF");
          }
        }
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException e) {
        broken = rollback(c);
        if (retryable(e) && attempt < 20) {
          LOG.debug("retrying transaction after {}", e.getMessage());
          continue;
        }
        throw e;
      } catch (RuntimeException e) {
        broken = rollback(c);
        throw e;
      } finally {
        current.remove();
        giveBack(c, broken);
      }
    }
  }

  /**
   * Connections opened so far. A database that restarted (and may have lost commits made without
   * waiting for the WAL flush) or failed over is reached only through a connection opened after
   * that: what a caller remembers of transactions that began before the number changed may be gone.
   */
  public long connectionsOpened() {
    return opened.get();
  }

  /** Transactions begun so far (a retry counts again; a nested call joins and does not). */
  public long transactions() {
    return begun.get();
  }

  /** Runs read-only {@code work} (no transaction of its own on SQLite's single connection). */
  public <T> T read(Work<T> work) throws SQLException {
    return inTransaction(work);
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state)
        || "40P01".equals(state)
        || (e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY"));
  }

  private static boolean rollback(Connection c) {
    try {
      c.rollback();
      return false;
    } catch (SQLException e) {
      return true;
    }
  }

  private Connection borrow() throws SQLException {
    if (Thread.currentThread().getName().startsWith(EVENT_LOOP_THREAD)) {
      // a query must never hold up an HTTP event loop: the HTTP server runs it on a worker
      throw new IllegalStateException(
          "database access on event loop " + Thread.currentThread().getName());
    }
    Slot s;
    try {
      s = pool.poll(60, TimeUnit.SECONDS);
      if (s == null) {
        throw new SQLException("no database connection free within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
    if (s.connection() != null) {
      return s.connection();
    }
    try {
      Connection fresh = connect();
      synchronized (all) {
        all.add(fresh);
      }
      return fresh;
    } catch (SQLException | RuntimeException e) {
      pool.add(Slot.EMPTY); // the next borrower tries again
      throw new SQLException("cannot reach the ledger database: " + e.getMessage(), e);
    }
  }

  private void giveBack(Connection c, boolean broken) {
    if (!broken) {
      pool.add(new Slot(c));
      return;
    }
    LOG.warn("a ledger database connection broke; the next transaction on its slot reconnects");
    try {
      c.close();
    } catch (SQLException ignored) {
      // broken already; its slot is opened again by the next borrower
    }
    synchronized (all) {
      all.remove(c);
    }
    pool.add(Slot.EMPTY);
  }

  @Override
  public void close() {
    synchronized (all) {
      for (Connection c : all) {
        try {
          c.close();
        } catch (SQLException e) {
          LOG.warn("closing a database connection: {}", e.getMessage());
        }
      }
      all.clear();
    }
  }
}
