package io.haulproof.ledger.testing;

import io.haulproof.uplink.testing.EventLoopGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ledger instance in its own JVM ({@link LedgerMain}), for kill -9 and many-instance tests;
 * started on a broker, a data dir, a fleet root and optionally a PostgreSQL URL, stopped by PID.
 */
public final class LedgerProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("\\{\"ledger\":\"subscribed\",\"http\":(\\d+)}");

  private final Process process;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private volatile int httpPort = -1;

  private LedgerProcess(Process process) {
    this.process = process;
  }

  /** Starts an instance; returns once all its subscriptions are acknowledged by the broker. */
  public static LedgerProcess start(
      String broker, Path dataDir, Path trustAnchor, String fleet, String db, String clientId)
      throws IOException, InterruptedException {
    return start(broker, dataDir, trustAnchor, fleet, db, clientId, List.of());
  }

  /** As above, with extra JVM arguments (e.g. {@code -Dhaulproof.ledger.pendingPerDevice=20}). */
  public static LedgerProcess start(
      String broker,
      Path dataDir,
      Path trustAnchor,
      String fleet,
      String db,
      String clientId,
      List<String> jvmArgs)
      throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    // a blocked HTTP event loop is logged and counted (http.event_loop_blocked); close() fails on
    // it
    cmd.add(EventLoopGuard.jvmArg());
    cmd.addAll(jvmArgs);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            LedgerMain.class.getName(),
            broker,
            dataDir.toString(),
            trustAnchor.toString(),
            fleet,
            db == null ? "-" : db,
            clientId));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    LedgerProcess lp = new LedgerProcess(p);
    CountDownLatch ready = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lp.output.add(line);
                  Matcher m = READY.matcher(line);
                  if (m.find()) {
                    lp.httpPort = Integer.parseInt(m.group(1));
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // process ended
              }
              ready.countDown();
            },
            "ledger-" + clientId);
    t.setDaemon(true);
    t.start();
    if (!ready.await(60, TimeUnit.SECONDS) || lp.httpPort < 0) {
      lp.close();
      throw new IOException("ledger " + clientId + " did not start: " + lp.output());
    }
    return lp;
  }

  public long pid() {
    return process.pid();
  }

  public int httpPort() {
    return httpPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> output() {
    return List.copyOf(output);
  }

  /** GET {@code path} on the instance's HTTP port; returns status and body. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The value of metric line {@code name{labels}} on {@code /metrics}, or -1 if absent. */
  public long metric(String nameAndLabels) throws IOException, InterruptedException {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(nameAndLabels + " ")) {
        return Long.parseLong(line.substring(nameAndLabels.length() + 1).trim());
      }
    }
    return -1;
  }

  /** SIGKILL by PID, as a power cut or OOM kill would. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    EventLoopGuard.assertNotBlocked("ledger", String.join("\n", output()));
  }
}
