package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.demo.Frames;
import io.haulproof.lightchain.ChainAudit;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.poah.SignedEntry;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.SocatPtyPair;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof run} under real power cuts: the agent, a child JVM from the fat jar at {@code
 * -Xmx64m}, keeps its data dir on a LazyFS mount and takes lifts (a Toledo scale and an FDX-B
 * reader fed as device bytes on serial pseudo-terminals, plus crew "not out" reports over its HTTP
 * API). What it acknowledges is what its status page ({@code /api/status}, "last lifts") shows: a
 * lift is listed there only once its entry is durable. At a seeded random moment the agent gets
 * {@code kill -9} and LazyFS drops every unsynced byte; in about one cycle of five the cut comes
 * during start-up instead (key creation, recovery, boot epoch). After each cut {@code chain verify}
 * must pass over what survived, and every lift acknowledged so far must be at its index with its
 * seq and content; then {@code run} restarts on the same dir and must become ready with no loss
 * reported. No event loop of the agent may be blocked over the test limit ({@code EventLoopGuard}).
 *
 * <p>{@code -Dpowercut.run.cycles=N} (default 20) and {@code -Dpowercut.run.seed=S} for a long run.
 */
class RunPowerCutIT {
  private static final int CYCLES = Integer.getInteger("powercut.run.cycles", 20);
  private static final long SEED = Long.getLong("powercut.run.seed", 20261204L);
  private static final Duration READY = Duration.ofSeconds(90);
  private static final String CREW_TOKEN = "crew-token-power-cut-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));
  private final HttpClient http = HttpClient.newHttpClient();
  private PowerCutRig rig;
  private KillableAgent agent;
  private final List<Long> readyMs = new ArrayList<>();

  /** A lift the agent acknowledged: its status-page row. */
  private record Acked(long index, long seq, String outcome, String container) {}

  @AfterEach
  void tearDown() throws Exception {
    if (rig != null) {
      rig.close(); // kills the agent by PID and unmounts
    }
    children.close();
  }

  @Test
  void run_killedAndPowerCutAtRandomPoints_restartsReadyWithEveryAcknowledgedLift() {
    assertTimeoutPreemptively(Duration.ofMinutes(10 + CYCLES / 10), this::cycles);
  }

  private void cycles() throws Exception {
    // given: run's data dir on LazyFS, its secrets and devices off the mount
    rig = PowerCutRig.mount(tmp, 256);
    Path data = rig.dir().resolve("agent");
    Path scale = children.add(SocatPtyPair.named(tmp, "scale")).a();
    Path rfid = children.add(SocatPtyPair.named(tmp, "rfid")).a();
    Path config = tmp.resolve("agent.yaml");
    Files.writeString(config, yaml(data, scale, rfid));
    Map<Long, Acked> acked = new TreeMap<>();
    Random r = new Random(SEED);
    int startupCuts = 0;
    long lifts = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      boolean startup = r.nextInt(5) == 0;
      long cutAt = startup ? 100 + r.nextInt(2500) : r.nextInt(1500);
      agent = KillableAgent.start(rig, "agent-" + cycle, config);
      if (startup) {
        // when: the cut comes while it starts (a seeded moment, whatever it is doing then)
        Thread.sleep(cutAt);
        startupCuts++;
      } else {
        // when: it becomes ready, takes lifts, and is cut a seeded moment after an acknowledgement
        String base = becomesReady(cycle, acked);
        lifts += takeLiftsUntilCut(base, cycle, cutAt, acked);
      }
      rig.cut(); // kill -9, then LazyFS drops every unsynced byte
      agent.assertNotBlocked("cycle " + cycle);
      agent = null;
      // then: what survived verifies and holds every acknowledged lift
      verify(data, acked, "after cut " + cycle);
    }
    // and finally it still starts, reports no loss, and stops in order
    agent = KillableAgent.start(rig, "agent-final", config);
    becomesReady(CYCLES, acked);
    assertThat(agent.stop()).as("exit on SIGTERM: %s", agent.stderr()).isIn(0, 143);
    assertThat(agent.stderr()).contains("haulproof run: stopping");
    agent.assertNotBlocked("final run");
    agent = null;
    verify(data, acked, "after the final orderly stop");
    Collections.sort(readyMs);
    System.out.printf(
        "run power cut: %d cycles (%d during start-up), seed %d, %d lifts acknowledged"
            + " (%d seen on the status page and checked), highest index %d;"
            + " start to ready after a cut: median %d ms, max %d ms%n",
        CYCLES,
        startupCuts,
        SEED,
        lifts,
        acked.size(),
        acked.isEmpty() ? -1 : ((TreeMap<Long, Acked>) acked).lastKey(),
        readyMs.isEmpty() ? -1 : readyMs.get(readyMs.size() / 2),
        readyMs.isEmpty() ? -1 : readyMs.get(readyMs.size() - 1));
    assertThat(acked).as("lifts acknowledged over the run").hasSizeGreaterThan(CYCLES);
  }

  /** Waits for the ready line and a ready /health; checks the status page; returns the base URL. */
  private String becomesReady(int cycle, Map<Long, Acked> acked) throws Exception {
    int port = agent.awaitReady(READY);
    if (cycle > 0) {
      readyMs.add(agent.millisSinceStart()); // recovery after a cut, JVM start included
    }
    String base = "http://127.0.0.1:" + port;
    HttpResponse<String> health = get(base + "/health");
    assertThat(health.statusCode()).as("cycle %d /health: %s", cycle, health.body()).isEqualTo(200);
    JsonNode status = JSON.readTree(get(base + "/api/status").body());
    assertThat(status.get("losses")).as("cycle %d: losses reported at start", cycle).isEmpty();
    long highest = acked.isEmpty() ? -1 : ((TreeMap<Long, Acked>) acked).lastKey();
    assertThat(status.at("/chain/tree_size").asLong())
        .as("cycle %d: tree size after restart vs highest acknowledged index", cycle)
        .isGreaterThan(highest);
    return base;
  }

  /**
   * Feeds lifts (scale and tag bytes, one crew report every other step) and reads the status page
   * each step, until {@code cutAfterMs} after the first new acknowledgement; returns the lifts this
   * process counted as acknowledged.
   */
  private long takeLiftsUntilCut(String base, int cycle, long cutAfterMs, Map<Long, Acked> acked)
      throws Exception {
    long[] tenths = {0, 0, 300, 585, 585, 585, 585, 400, 200, 125, 125, 125, 60, 0, 0};
    boolean[] motion = {
      false, false, true, false, false, false, false, true, true, false, false, false, true, false,
      false
    };
    int before = acked.size();
    long firstAck = 0;
    long deadline = System.nanoTime() + READY.toNanos();
    try (OutputStream s = new FileOutputStream(tmp.resolve("scale-peer").toFile());
        OutputStream t = new FileOutputStream(tmp.resolve("rfid-peer").toFile())) {
      for (int step = 0; ; step++) {
        int k = step % tenths.length;
        if (k == 0) {
          t.write(Frames.fdxbUart(900, 250000030000L + cycle * 1000L + step / tenths.length));
          t.flush();
        }
        s.write(Frames.toledo(tenths[k], motion[k]));
        s.flush();
        if (step % 2 == 1) {
          crewNotOut(base, "crew-" + cycle + "-" + step);
        }
        for (JsonNode l : JSON.readTree(get(base + "/api/status").body()).get("last_lifts")) {
          acked.putIfAbsent(
              l.get("index").asLong(),
              new Acked(
                  l.get("index").asLong(),
                  l.get("seq").asLong(),
                  l.get("outcome").asText(),
                  l.get("container").isNull() ? null : l.get("container").asText()));
        }
        if (firstAck == 0 && acked.size() > before) {
          firstAck = System.nanoTime();
        }
        if (firstAck != 0 && System.nanoTime() - firstAck >= cutAfterMs * 1_000_000) {
          return (long) agent.metric(base, "haulproof_lifts_total");
        }
        assertThat(System.nanoTime())
            .as("cycle %d: no lift acknowledged", cycle)
            .isLessThan(deadline);
        Thread.sleep(40);
      }
    }
  }

  private void crewNotOut(String base, String container) throws Exception {
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/exception"))
                .header("Authorization", "Bearer " + CREW_TOKEN)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"code\":\"NOT_OUT\",\"container\":\"" + container + "\"}"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(202);
  }

  /**
   * {@code chain verify} (in this JVM, read-only) passes, and every acknowledged lift is at its
   * index with its seq, outcome and (for a crew report) container.
   */
  private static void verify(Path data, Map<Long, Acked> acked, String when) throws Exception {
    if (acked.isEmpty() && !Files.isDirectory(data.resolve("log"))) {
      return; // cut before the log existed, and nothing was acknowledged
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int rc;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      rc = Main.run("chain", "verify", "--data-dir", data.toString());
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
    assertThat(rc).as("chain verify %s: %s", when, lines).isZero();
    assertThat(JSON.readTree(lines.get(lines.size() - 1)).get("valid").asBoolean()).isTrue();
    try (ChainAudit chain = ChainAudit.open(data)) {
      for (Acked a : acked.values()) {
        assertThat(a.index()).as("acknowledged index %s", when).isLessThan(chain.size());
        SignedEntry e = SignedEntry.parse(a.index(), chain.read(a.index()));
        assertThat(e.entry().header().seq()).as("seq at %d %s", a.index(), when).isEqualTo(a.seq());
        assertThat(e.entry().body()).isInstanceOf(CollectionBody.class);
        CollectionBody body = (CollectionBody) e.entry().body();
        String outcome =
            body.exception().map(Enum::name).orElse(body.outcome().name()); // crew: its code
        assertThat(outcome).as("outcome at %d %s", a.index(), when).isEqualTo(a.outcome());
        if (a.container() != null && a.container().startsWith("crew-")) {
          assertThat(body.container().orElseThrow().rawId().toByteArray())
              .as("container at %d %s", a.index(), when)
              .isEqualTo(a.container().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String yaml(Path data, Path scale, Path rfid) throws Exception {
    Path pass = secret("key-pass", "it-passphrase-power-cut");
    Path crew = secret("crew-token", CREW_TOKEN);
    return """
        device: { id: truck-cut-1, fleet: it-fleet, dataDir: "%s" }
        scale:
          protocol: toledo
          port: { path: "%s" }
          interval: 0.5
          min: 10
          max: 500
          instrument: { approval: DE-IT-1, serial: SC-IT-1, calibrationDate: "2026-03-01" }
        rfid:
          - { protocol: fdxb-uart, port: { path: "%s" }, side: REAR_COMB, debounceMs: 100 }
        bins: { enforce: false }
        lift: { lateTagGraceMs: 500 }
        chain: { blockMaxEntries: 4, blockMaxMs: 200 }
        http: { port: 0, crewTokenFile: "%s" }
        keystore: { passphraseFile: "%s" }
        """
        .formatted(data, scale, rfid, crew, pass);
  }

  private Path secret(String name, String value) throws Exception {
    Path f =
        Files.createFile(
            tmp.resolve(name),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(f, value + "\n");
    return f;
  }
}
