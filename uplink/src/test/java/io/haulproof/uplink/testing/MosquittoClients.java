package io.haulproof.uplink.testing;

import io.haulproof.lightchain.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wrappers around Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (MQTT v5), used as
 * foreign peers in integration tests.
 */
public final class MosquittoClients {
  private MosquittoClients() {}

  /** Connection options shared by pub and sub. */
  public static final class Conn {
    private final int port;
    private TestPki pki;
    private TestPki.Issued clientCert;
    private String username;
    private String password;
    private String clientId;

    private Conn(int port) {
      this.port = port;
    }

    /**
     * Connects to {@code broker}, with TLS if the broker has it (then a client cert must be set).
     */
    public static Conn to(MosquittoProcess broker) {
      Conn c = new Conn(broker.port());
      c.pki = broker.tlsPki();
      return c;
    }

    public Conn clientCert(TestPki.Issued cert) {
      this.clientCert = cert;
      return this;
    }

    public Conn credentials(String user, String pass) {
      this.username = user;
      this.password = pass;
      return this;
    }

    public Conn clientId(String id) {
      this.clientId = id;
      return this;
    }

    List<String> args() {
      List<String> a =
          new ArrayList<>(List.of("-h", pki != null ? "localhost" : "127.0.0.1", "-p", "" + port));
      a.addAll(List.of("-V", "mqttv5"));
      if (pki != null) {
        a.addAll(List.of("--cafile", pki.caPem().toString()));
        if (clientCert != null) {
          a.addAll(
              List.of(
                  "--cert",
                  clientCert.certPem().toString(),
                  "--key",
                  clientCert.keyPem().toString()));
        }
      }
      if (username != null) {
        a.addAll(List.of("-u", username, "-P", password));
      }
      if (clientId != null) {
        a.addAll(List.of("-i", clientId));
      }
      return a;
    }
  }

  /** What a finished command printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** A message for {@link #publish}. */
  public static final class Message {
    private final String topic;
    private final byte[] payload;
    private int qos = 1;
    private boolean retain;
    private final Map<String, String> userProperties = new LinkedHashMap<>();
    private String responseTopic;
    private String correlationData;

    private Message(String topic, byte[] payload) {
      this.topic = topic;
      this.payload = payload.clone();
    }

    public static Message of(String topic, byte[] payload) {
      return new Message(topic, payload);
    }

    public static Message of(String topic, String payload) {
      return new Message(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    public Message qos(int q) {
      this.qos = q;
      return this;
    }

    public Message retain() {
      this.retain = true;
      return this;
    }

    public Message userProperty(String key, String value) {
      userProperties.put(key, value);
      return this;
    }

    public Message responseTopic(String t) {
      this.responseTopic = t;
      return this;
    }

    public Message correlationData(String d) {
      this.correlationData = d;
      return this;
    }
  }

  /** Publishes one message with {@code mosquitto_pub} and waits for it to finish. */
  public static Result publish(Conn conn, Message m) {
    try {
      Path file = Files.createTempFile("hp-pub", ".bin");
      try {
        Files.write(file, m.payload);
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub"));
        cmd.addAll(conn.args());
        cmd.addAll(List.of("-t", m.topic, "-q", "" + m.qos, "-f", file.toString()));
        if (m.retain) {
          cmd.add("-r");
        }
        m.userProperties.forEach(
            (k, v) -> cmd.addAll(List.of("-D", "publish", "user-property", k, v)));
        if (m.responseTopic != null) {
          cmd.addAll(List.of("-D", "publish", "response-topic", m.responseTopic));
        }
        if (m.correlationData != null) {
          cmd.addAll(List.of("-D", "publish", "correlation-data", m.correlationData));
        }
        return run(cmd, Duration.ofSeconds(30));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final AtomicInteger SUB_IDS = new AtomicInteger();

  /**
   * Runs {@code mosquitto_sub -F format} in the background; lines it prints are collected. Without
   * a client id in {@code conn} it gets a unique one, so {@link Subscription#awaitSubscribed} can
   * find its SUBACK in the broker's log.
   */
  public static Subscription subscribe(Conn conn, String topic, String format) {
    List<String> cmd = new ArrayList<>(List.of("mosquitto_sub"));
    cmd.addAll(conn.args());
    String clientId = conn.clientId;
    if (clientId == null) {
      clientId = "sub-" + ProcessHandle.current().pid() + "-" + SUB_IDS.incrementAndGet();
      cmd.addAll(List.of("-i", clientId));
    }
    cmd.addAll(List.of("-t", topic, "-q", "1", "-F", format));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
      return new Subscription(p, clientId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A running {@code mosquitto_sub}. */
  public static final class Subscription implements AutoCloseable {
    private final Process process;
    private final String clientId;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private Subscription(Process process, String clientId) {
      this.process = process;
      this.clientId = clientId;
      Thread out =
          new Thread(
              () ->
                  pump(
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                      lines::add),
              "mosquitto_sub-out");
      Thread err =
          new Thread(
              () ->
                  pump(
                      new BufferedReader(
                          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                      l -> {
                        synchronized (stderr) {
                          stderr.append(l).append('\n');
                        }
                      }),
              "mosquitto_sub-err");
      out.setDaemon(true);
      err.setDaemon(true);
      out.start();
      err.start();
    }

    private static void pump(BufferedReader r, java.util.function.Consumer<String> sink) {
      try (r) {
        String l;
        while ((l = r.readLine()) != null) {
          sink.accept(l);
        }
      } catch (IOException e) {
        // The process was stopped; its stream closed under us. Nothing further to read.
        sink.accept("#stream-closed: " + e.getMessage());
      }
    }

    /** Lines printed so far (excluding stream-closed markers). */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      for (String l : lines) {
        if (!l.startsWith("#stream-closed")) {
          out.add(l);
        }
      }
      return out;
    }

    /**
     * Waits until at least {@code n} lines arrived or {@code timeout} passed; returns the lines.
     */
    public List<String> awaitLines(int n, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (lines().size() < n && System.nanoTime() < deadline && process.isAlive()) {
        Thread.sleep(20);
      }
      return lines();
    }

    /**
     * Waits until {@code broker} logged the SUBACK it sent to this subscriber, i.e. the
     * subscription is registered and a message published from now on reaches it. Throws
     * AssertionError with the broker's log after {@code timeout}.
     */
    public Subscription awaitSubscribed(MosquittoProcess broker, Duration timeout) {
      String suback = "Sending SUBACK to " + clientId + "\n";
      Await.until(
          () -> broker.logText().contains(suback),
          timeout,
          () ->
              "no '"
                  + suback
                  + "'; sub stderr: "
                  + stderr()
                  + "\nbroker log:\n"
                  + broker.logText());
      return this;
    }

    public String clientId() {
      return clientId;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public String stderr() {
      synchronized (stderr) {
        return stderr.toString();
      }
    }

    public long pid() {
      return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static Result run(List<String> cmd, Duration timeout) throws IOException {
    Process p = new ProcessBuilder(cmd).start();
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, new String(out, StandardCharsets.UTF_8), "timeout");
      }
      return new Result(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }
}
