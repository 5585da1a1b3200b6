package io.haulproof.ledger.testing;

import io.haulproof.uplink.testing.FreePort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the Debian {@code postgresql} package: {@code initdb} in
 * a temporary directory as the {@code postgres} user (trust auth on loopback only), {@code
 * postgres} on a free loopback port, stopped by PID. Each {@link #newDatabase()} is a fresh, empty
 * database.
 *
 * <p>Needs root (to switch to {@code postgres}, like the rest of the suite's real parts) and {@code
 * /usr/lib/postgresql/N/bin} (./run-tests installs the package).
 */
public final class PostgresProcess implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dir;
  private final int port;
  private final Process process;
  private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

  private PostgresProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** The directory of the newest installed PostgreSQL's programs. */
  public static Path binDir() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
      return s.map(p -> p.resolve("bin"))
          .filter(p -> Files.isExecutable(p.resolve("initdb")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
          .orElseThrow(
              () -> new IOException("no /usr/lib/postgresql/*/bin/initdb: install postgresql"));
    }
  }

  /** Creates a cluster and starts the server; returns when it accepts connections. */
  public static PostgresProcess start() throws IOException, InterruptedException {
    Path bin = binDir();
    Path dir = Files.createTempDirectory("hp-pg-");
    Path data = dir.resolve("data");
    chownPostgres(dir);
    run(
        List.of(
            "setpriv",
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            "--",
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions"),
        Duration.ofMinutes(2));
    int port = FreePort.tcp();
    ProcessBuilder pb =
        new ProcessBuilder(
            "setpriv",
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            "--",
            bin.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-k",
            dir.toString(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "max_connections=200",
            "-c",
            "fsync=on");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    PostgresProcess pg = new PostgresProcess(dir, port, p);
    CountDownLatch ready = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  pg.log.add(line);
                  if (line.contains("database system is ready to accept connections")) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // process ended
              }
            },
            "postgres-log");
    t.setDaemon(true);
    t.start();
    if (!ready.await(60, TimeUnit.SECONDS)) {
      pg.close();
      throw new IOException("postgres did not become ready: " + pg.log);
    }
    return pg;
  }

  private static void chownPostgres(Path dir) throws IOException, InterruptedException {
    run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Duration.ofSeconds(30));
  }

  private static void run(List<String> cmd, Duration timeout)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(cmd.get(0) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** A fresh database; returns its {@code postgresql://postgres@127.0.0.1:PORT/NAME} URL. */
  public String newDatabase() throws SQLException {
    String name = "hp_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return "postgresql://postgres@127.0.0.1:" + port + "/" + name;
  }

  /** A JDBC connection to the database of {@code url} (from {@link #newDatabase()}). */
  public Connection connect(String url) throws SQLException {
    String db = url.substring(url.lastIndexOf('/') + 1);
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "");
  }

  public List<String> log() {
    return List.copyOf(log);
  }

  /** Stops the server by PID (SIGTERM, then SIGKILL) and deletes its directory. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> w = Files.walk(dir)) {
      w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
