package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.demo.Frames;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import io.haulproof.uplink.testing.EventLoopGuard;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long history and a small heap: {@code bench history} writes several days (many log segments,
 * hundreds of blocks, receipts, a key rotation) in a child JVM; then {@code haulproof run} at
 * {@code -Xmx64m} opens it, becomes ready, and takes a route of lifts fed as device bytes on serial
 * pseudo-terminals, while its live heap (after a {@code jcmd GC.run}, read from {@code /metrics})
 * stays flat, and no event loop is blocked over the test limit ({@link EventLoopGuard}). The full
 * year is measured with the same commands in BENCHMARKS.md.
 */
class LongHistoryHeapIT {
  private static final Path JAR = Path.of("target/haulproof.jar");
  private static final Map<String, String> ENV = Map.of("HAULPROOF_KEY_PASSPHRASE", "it-pass-1");
  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*\\} (\\S+)$");
  private static final Pattern LIFTS =
      Pattern.compile("(?m)^haulproof_lifts_total\\{[^}]*\\} (\\S+)$");
  private static final Pattern TREE = Pattern.compile("(?m)^haulproof_tree_size\\S* (\\S+)$");

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void tearDown() throws Exception {
    children.close();
  }

  @Test
  void run_multiSegmentHistoryAt64m_becomesReadyAndKeepsHeapFlatOverARoute() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(12),
        () -> {
          // given: six days of history in 1 MiB segments
          Path data = dir.resolve("data");
          JsonNode history =
              runToEnd(
                  "history",
                  "bench",
                  "history",
                  "--data-dir",
                  data.toString(),
                  "--days",
                  "6",
                  "--lifts-per-day",
                  "700",
                  "--lifts-per-block",
                  "16",
                  "--segment-mib",
                  "1",
                  "--device",
                  "truck-year-1",
                  "--fleet",
                  "it-fleet");
          assertThat(history.get("lifts").asLong()).isEqualTo(4200);
          assertThat(history.get("blocks").asLong()).isGreaterThanOrEqualTo(264);
          try (Stream<Path> segs = Files.list(data.resolve("log"))) {
            assertThat(segs.filter(p -> p.toString().endsWith(".seg")).count())
                .isGreaterThanOrEqualTo(2);
          }
          long entries = history.get("entries").asLong();

          // when: the agent opens it with 64 MB of heap
          Path scale = children.add(SocatPtyPair.named(dir, "scale")).a();
          Path rfid = children.add(SocatPtyPair.named(dir, "rfid")).a();
          Path gps = children.add(SocatPtyPair.named(dir, "gps")).a();
          Files.writeString(dir.resolve("agent.yaml"), yaml(data, scale, rfid, gps));
          ProcessBuilder pb =
              new ProcessBuilder(
                      "java",
                      "-Xmx64m",
                      EventLoopGuard.jvmArg(),
                      "-jar",
                      JAR.toString(),
                      "run",
                      "--config",
                      dir.resolve("agent.yaml").toString())
                  .redirectError(dir.resolve("agent.err").toFile());
          pb.environment().putAll(ENV);
          long t0 = System.nanoTime();
          Process agent = pb.start();
          children.add(agent);
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
          String line = out.readLine();
          assertThat(line).as(Files.readString(dir.resolve("agent.err"))).isNotNull();
          JsonNode ready = new ObjectMapper().readTree(line);
          assertThat(ready.get("state").asText()).isEqualTo("ready");
          System.err.printf(
              "LongHistoryHeapIT: ready after %d ms over %d entries%n",
              (System.nanoTime() - t0) / 1_000_000, entries);
          String base = "http://127.0.0.1:" + ready.get("http_port").asInt();
          assertThat(value(TREE, metrics(base))).isGreaterThanOrEqualTo(entries);

          // then: a route of lifts; the live heap after the warm-up and after the route
          try (OutputStream g = new FileOutputStream(dir.resolve("gps-peer").toFile());
              OutputStream r = new FileOutputStream(dir.resolve("rfid-peer").toFile());
              OutputStream s = new FileOutputStream(dir.resolve("scale-peer").toFile())) {
            for (int i = 0; i < 8; i++) {
              lift(g, r, s, base, i);
            }
            long warm = liveHeap(agent, base);
            for (int i = 8; i < 40; i++) {
              lift(g, r, s, base, i);
            }
            long after = liveHeap(agent, base);
            System.err.printf(
                "LongHistoryHeapIT: live heap %d KiB after 8 lifts, %d KiB after 40%n",
                warm / 1024, after / 1024);
            assertThat(after).isLessThan(48L << 20);
            assertThat(after - warm).as("heap growth over 32 lifts").isLessThan(4L << 20);
          }
          assertThat(agent.isAlive()).as(Files.readString(dir.resolve("agent.err"))).isTrue();
          EventLoopGuard.assertNotBlocked(
              "haulproof run", Files.readString(dir.resolve("agent.err")));
        });
  }

  private JsonNode runToEnd(String name, String... args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Stream.concat(Stream.of("java", "-jar", JAR.toString()), Stream.of(args)).toList())
            .redirectError(dir.resolve(name + ".err").toFile())
            .redirectOutput(dir.resolve(name + ".out").toFile());
    pb.environment().putAll(ENV);
    Process p = pb.start();
    children.add(p);
    assertThat(p.waitFor(8, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".err"))).isZero();
    List<String> lines = Files.readAllLines(dir.resolve(name + ".out"));
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }

  /** One lift: a GNSS fix, a tag, a full-then-empty weighing cycle; waits for the lift counter. */
  private void lift(OutputStream g, OutputStream r, OutputStream s, String base, int i)
      throws Exception {
    double before = value(LIFTS, metrics(base));
    g.write(Frames.nmeaEpoch(Instant.now().truncatedTo(ChronoUnit.MILLIS), 53.55, 9.99, 9, 0.9));
    g.flush();
    r.write(Frames.fdxbUart(900, 250000020000L + i));
    r.flush();
    long[] tenths = {0, 0, 300, 585, 585, 585, 585, 400, 200, 125, 125, 125, 60, 0, 0};
    boolean[] motion = {
      false, false, true, false, false, false, false, true, true, false, false, false, true, false,
      false
    };
    for (int k = 0; k < tenths.length; k++) {
      s.write(Frames.toledo(tenths[k], motion[k]));
      s.flush();
      if (k % 5 == 0) {
        g.write(
            Frames.nmeaEpoch(Instant.now().truncatedTo(ChronoUnit.MILLIS), 53.55, 9.99, 9, 0.9));
        g.flush();
      }
      Thread.sleep(60);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (value(LIFTS, metrics(base)) <= before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("lift " + i + " was not recorded");
      }
      Thread.sleep(50);
    }
  }

  /** The heap in use right after a full collection the test asks for with jcmd. */
  private long liveHeap(Process agent, String base) throws Exception {
    Process gc =
        new ProcessBuilder("jcmd", Long.toString(agent.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("jcmd.out").toFile())
            .start();
    children.add(gc);
    assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gc.exitValue()).as(Files.readString(dir.resolve("jcmd.out"))).isZero();
    String m = metrics(base);
    Matcher x = HEAP.matcher(m);
    long sum = 0;
    int pools = 0;
    while (x.find()) {
      sum += (long) Double.parseDouble(x.group(1));
      pools++;
    }
    assertThat(pools).as("heap pools in /metrics").isPositive();
    return sum;
  }

  private String metrics(String base) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double value(Pattern p, String metrics) {
    Matcher m = p.matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  private static String yaml(Path data, Path scale, Path rfid, Path gps) {
    return """
        device: { id: truck-year-1, fleet: it-fleet, dataDir: "%s" }
        scale:
          protocol: toledo
          port: { path: "%s" }
          interval: 0.5
          min: 10
          max: 500
          instrument: { approval: DE-IT-1, serial: SC-IT-1, calibrationDate: "2026-03-01" }
        rfid:
          - { protocol: fdxb-uart, port: { path: "%s" }, side: REAR_COMB, debounceMs: 100 }
        gps: { source: nmea, port: { path: "%s" } }
        bins: { enforce: false }
        lift: { lateTagGraceMs: 500 }
        chain: { blockMaxEntries: 4, blockMaxMs: 200 }
        http: { port: 0 }
        """
        .formatted(data, scale, rfid, gps);
  }
}
