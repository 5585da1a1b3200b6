package io.haulproof.uplink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code mosquitto} broker for integration tests: generated config in a temp dir, a
 * free loopback port, stopped by PID.
 *
 * <pre>{@code
 * MosquittoProcess broker = MosquittoProcess.builder(tempDir).tls(pki).acl("pattern write haulproof/v1/+/%u/#").start();
 * ... broker.url() ... broker.kill9(); broker.restart(); ... broker.stop();
 * }</pre>
 */
public final class MosquittoProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Builder options;
  private final Path dir;
  private final int port;
  private final Path conf;
  private final Path log;
  private Process process;

  private MosquittoProcess(Builder options, int port) {
    this.options = options;
    this.dir = options.dir;
    this.port = port;
    this.conf = dir.resolve("mosquitto.conf");
    this.log = dir.resolve("mosquitto.log");
  }

  /** Options for a broker whose files live in {@code dir}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** A plain (no TLS, anonymous) broker in {@code dir}, started. */
  public static MosquittoProcess startPlain(Path dir) {
    return builder(dir).start();
  }

  /** {@code tcp://127.0.0.1:PORT} or {@code ssl://localhost:PORT} when TLS is on. */
  public String url() {
    return options.tls != null ? "ssl://localhost:" + port : "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** The TLS server material, or null for a plain broker. */
  public TestPki tlsPki() {
    return options.tls;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The broker's log so far (for assertion messages). */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read log: " + e + ")";
    }
  }

  /** Rewrites the password file (takes effect on {@link #restart()}). */
  public void setPasswords(Map<String, String> passwords) {
    options.passwords = new LinkedHashMap<>(passwords);
    writeFiles();
  }

  /** Stops the broker with SIGTERM (it saves persistence) and waits for it to exit. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Kills the broker with SIGKILL: no clean shutdown, no persistence save. */
  public void kill9() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the broker if running and starts it again on the same port with the same config. */
  public void restart() {
    if (isAlive()) {
      stop();
    }
    launch();
  }

  @Override
  public void close() {
    stop();
  }

  private void writeFiles() {
    try {
      Files.createDirectories(dir);
      List<String> c = new ArrayList<>();
      c.add("user " + System.getProperty("user.name"));
      c.add("per_listener_settings false");
      c.add("log_dest file " + log);
      c.add("log_type all");
      c.add("connection_messages true");
      c.add("log_timestamp_format %H:%M:%S");
      c.add("max_queued_messages " + options.maxQueued);
      if (options.maxInflight >= 0) {
        c.add("max_inflight_messages " + options.maxInflight);
      }
      c.add("set_tcp_nodelay true"); // as the shipped configuration
      if (options.persistence) {
        Path p = dir.resolve("persist");
        Files.createDirectories(p);
        c.add("persistence true");
        c.add("persistence_location " + p + "/");
        c.add("autosave_interval 1");
      } else {
        c.add("persistence false");
      }
      boolean anonymous = options.tls == null && options.passwords == null;
      c.add("allow_anonymous " + anonymous);
      if (options.passwords != null) {
        Path pw = dir.resolve("passwd");
        StringBuilder sb = new StringBuilder();
        options.passwords.forEach((u, p) -> sb.append(u).append(':').append(p).append('\n'));
        Files.writeString(pw, sb.toString());
        run("mosquitto_passwd", "-U", pw.toString());
        c.add("password_file " + pw);
      }
      if (options.acl != null) {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, options.acl + "\n");
        c.add("acl_file " + acl);
      }
      c.add("listener " + port + " 127.0.0.1");
      if (options.tls != null) {
        TestPki.Issued server = options.serverCert;
        c.add("cafile " + options.tls.caPem());
        c.add("certfile " + server.certPem());
        c.add("keyfile " + server.keyPem());
        c.add("require_certificate true");
        c.add("use_identity_as_username true");
        c.add("tls_version tlsv1.2");
      }
      Files.write(conf, c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder("mosquitto", "-c", conf.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("mosquitto.stdout").toFile())
              .start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "mosquitto exited with "
                  + process.exitValue()
                  + ": "
                  + Files.readString(dir.resolve("mosquitto.stdout"))
                  + logText());
        }
        if (FreePort.accepts(port)) {
          return;
        }
        Thread.sleep(50);
      }
      process.destroyForcibly();
      throw new IllegalStateException(
          "mosquitto did not accept on port " + port + " within " + START_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Broker options. */
  public static final class Builder {
    private final Path dir;
    private TestPki tls;
    private TestPki.Issued serverCert;
    private String acl;
    private Map<String, String> passwords;
    private boolean persistence;
    private int port;
    private int maxQueued = 100_000;
    private int maxInflight = -1;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * TLS with a server certificate for localhost/127.0.0.1 from {@code pki}, client certificates
     * required.
     */
    public Builder tls(TestPki pki) {
      return tls(pki, pki.server("localhost"));
    }

    /** TLS with the given server certificate from {@code pki}, client certificates required. */
    public Builder tls(TestPki pki, TestPki.Issued server) {
      this.tls = pki;
      this.serverCert = server;
      return this;
    }

    /** ACL file contents, e.g. {@code "pattern write haulproof/v1/+/%u/#"}. */
    public Builder acl(String contents) {
      this.acl = contents;
      return this;
    }

    /** Plain user:password pairs; written as a hashed password file, anonymous access off. */
    public Builder passwords(Map<String, String> passwords) {
      this.passwords = new LinkedHashMap<>(passwords);
      return this;
    }

    /** Broker persistence on (saved on SIGTERM and every second). */
    public Builder persistence(boolean on) {
      this.persistence = on;
      return this;
    }

    /** A fixed port instead of a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Maximum queued QoS 1 messages per client (Mosquitto's default is 1000). */
    public Builder maxQueued(int max) {
      this.maxQueued = max;
      return this;
    }

    /**
     * Mosquitto's {@code max_inflight_messages} (its default is 20; 0 is unlimited), which it also
     * announces to MQTT 5 clients as its Receive Maximum.
     */
    public Builder maxInflight(int max) {
      this.maxInflight = max;
      return this;
    }

    /** Writes the config and starts the broker; returns once the port accepts connections. */
    public MosquittoProcess start() {
      MosquittoProcess m = new MosquittoProcess(this, port != 0 ? port : FreePort.tcp());
      m.writeFiles();
      m.launch();
      return m;
    }
  }
}
