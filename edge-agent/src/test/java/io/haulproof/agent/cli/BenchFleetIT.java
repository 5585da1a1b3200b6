package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof bench fleet} the way the acceptance checks use it: a fleet CA from {@code
 * --init-ca}, a real {@code haulproof ledger} process started with that CA as trust anchor, a real
 * Mosquitto, 20 simulated trucks that join by their enrollment response.
 */
class BenchFleetIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private MosquittoProcess broker;
  private Process ledger;
  private final PrintStream stdout = System.out;

  @AfterEach
  void tearDown() throws Exception {
    System.setOut(stdout);
    if (ledger != null && ledger.isAlive()) {
      ledger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.stop();
    }
  }

  /** {@code bench fleet} against this test's broker and ledger, with {@code args} added. */
  private int benchFleet(Path ca, String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("--witness-key", tmp.resolve("data/witness/witness.pub.pem").toString()));
    cmd.addAll(List.of(args));
    return benchFleetUnpinned(ca, cmd.toArray(String[]::new));
  }

  /** {@code bench fleet} without the ledger's witness key (receipts counted unverified). */
  private int benchFleetUnpinned(Path ca, String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "bench",
                "fleet",
                "--broker",
                broker.url(),
                "--ca-dir",
                ca.toString(),
                "--timeout-s",
                "240"));
    cmd.addAll(List.of(args));
    return Main.run(cmd.toArray(String[]::new));
  }

  /** A fleet CA in tmp/ca, a broker and a ledger that trusts the CA; returns the CA dir. */
  private Path fleetCaBrokerAndLedger(ByteArrayOutputStream out) throws Exception {
    Path ca = fleetCaAndBroker(out);
    startLedger(ca);
    return ca;
  }

  /** A fleet CA in tmp/ca and a broker, no ledger yet; returns the CA dir. */
  private Path fleetCaAndBroker(ByteArrayOutputStream out) throws Exception {
    Path ca = tmp.resolve("ca");
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(Main.run("bench", "fleet", "--init-ca", "--ca-dir", ca.toString())).isZero();
    assertThat(ca.resolve("fleet-ca.pem")).isRegularFile();
    broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
    return ca;
  }

  /** Starts a ledger that trusts the CA in {@code ca}; returns once it runs. */
  private void startLedger(Path ca) throws Exception {
    ledger =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.haulproof.agent.cli.Main",
                "ledger",
                "--broker",
                broker.url(),
                "--data-dir",
                tmp.resolve("data").toString(),
                "--trust-anchor",
                ca.resolve("fleet-ca.pem").toString())
            .redirectError(tmp.resolve("ledger.err").toFile())
            .start();
    BufferedReader ledgerOut =
        new BufferedReader(new InputStreamReader(ledger.getInputStream(), StandardCharsets.UTF_8));
    assertThat(JSON.readTree(ledgerOut.readLine()).get("ledger").asText()).isEqualTo("running");
  }

  @Test
  void benchFleet_twentyTrucksAgainstOneLedger_everyEntryStoredAndEveryTruckCosigned()
      throws Exception {
    // given a fleet CA, a broker and a ledger that trusts the CA
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path ca = fleetCaBrokerAndLedger(out);

    // when 20 trucks publish 30 entries each
    out.reset();
    int code =
        benchFleet(ca, "--trucks", "20", "--entries-per-truck", "30", "--checkpoint-every", "15");

    // then every entry is stored once and every truck's last checkpoint is cosigned
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    String why = lines + "\n" + Files.readString(tmp.resolve("ledger.err"));
    assertThat(lines).as(why).isNotEmpty();
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(last.get("trucks").asInt()).as(why).isEqualTo(20);
    assertThat(last.get("entries").asLong()).isEqualTo(600);
    assertThat(last.get("stored").asLong()).as(why).isEqualTo(600);
    assertThat(last.get("cosigned").asLong()).as(why).isEqualTo(20);
    assertThat(last.get("lost").asLong()).isZero();
    assertThat(last.get("duplicates").asLong()).isZero();
    assertThat(last.get("entries_per_s").asLong()).isPositive();
    assertThat(last.fieldNames())
        .toIterable()
        .containsExactly(
            "trucks", "entries", "stored", "cosigned", "lost", "duplicates", "entries_per_s");
    // and the ratio divides by the better of the raw rates measured before and after the run
    JsonNode details = JSON.readTree(lines.get(lines.size() - 2));
    long before = details.get("raw_verify_before_after").get(0).asLong();
    long after = details.get("raw_verify_before_after").get(1).asLong();
    assertThat(before).as(why).isPositive();
    assertThat(after).as(why).isPositive();
    assertThat(details.get("raw_verify_2core_per_s").asLong()).isEqualTo(Math.max(before, after));
    assertThat(details.get("simulator_cpu_s").asDouble()).isPositive();
    assertThat(details.get("ratio_to_raw_verify").asDouble())
        .isCloseTo(
            last.get("stored").asDouble()
                / details.get("seconds").asDouble()
                / Math.max(before, after),
            within(0.002));
    assertThat(code).isZero();
  }

  @Test
  void benchFleet_pacedWithOutage_offlineTrucksSendBacklogAndNothingIsLost() throws Exception {
    // given
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path ca = fleetCaBrokerAndLedger(out);
    // when 8 trucks lift 10 entries/s each and 3 of them lose coverage from 1 s to 4 s
    out.reset();
    int code =
        benchFleet(
            ca,
            "--trucks",
            "8",
            "--entries-per-truck",
            "20",
            "--checkpoint-every",
            "5",
            "--rate",
            "10",
            "--outage-trucks",
            "3",
            "--outage-at-s",
            "1",
            "--outage-s",
            "3");
    // then
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    String why = lines + "\n" + Files.readString(tmp.resolve("ledger.err"));
    assertThat(lines).as(why).hasSizeGreaterThanOrEqualTo(2);
    JsonNode details = JSON.readTree(lines.get(lines.size() - 2));
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(last.get("stored").asLong()).as(why).isEqualTo(160);
    assertThat(last.get("cosigned").asLong()).as(why).isEqualTo(8);
    assertThat(last.get("lost").asLong()).isZero();
    assertThat(last.get("duplicates").asLong()).isZero();
    assertThat(details.get("outage_trucks").asInt()).isEqualTo(3);
    assertThat(details.get("rate_per_truck_per_s").asDouble()).isEqualTo(10.0);
    // the offline trucks could finish only after coverage came back
    assertThat(details.get("seconds").asDouble()).as(why).isGreaterThanOrEqualTo(4.0);
    assertThat(code).isZero();
  }

  @Test
  void benchFleet_ledgerSubscribesAfterTheFirstWindowsWereDropped_trucksAskAgainAndLoseNothing()
      throws Exception {
    // given a fleet CA and a broker but no ledger yet: what the trucks publish to the ledgers'
    // shared subscription while nobody holds it is dropped by the broker, and no receipt comes
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path ca = fleetCaAndBroker(out);
    try (MosquittoClients.Subscription checkpoints =
        MosquittoClients.subscribe(
                MosquittoClients.Conn.to(broker), "haulproof/v1/+/+/checkpoints", "%t")
            .awaitSubscribed(broker, Duration.ofSeconds(30))) {
      // when 4 trucks publish their first window (5 entries and a checkpoint each)
      CompletableFuture<Integer> code =
          CompletableFuture.supplyAsync(
              () ->
                  benchFleetUnpinned(
                      ca, "--trucks", "4", "--entries-per-truck", "10", "--checkpoint-every", "5"));
      assertThat(checkpoints.awaitLines(4, Duration.ofSeconds(120))).hasSizeGreaterThanOrEqualTo(4);
      // and only then a ledger subscribes
      startLedger(ca);

      // then the silent trucks send their checkpoints again, the receipts say nothing is stored,
      // and the trucks resend: every entry stored once, every truck cosigned
      int exit = code.get(240, TimeUnit.SECONDS);
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      String why = lines + "\n" + Files.readString(tmp.resolve("ledger.err"));
      JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
      assertThat(last.get("stored").asLong()).as(why).isEqualTo(40);
      assertThat(last.get("cosigned").asLong()).as(why).isEqualTo(4);
      assertThat(last.get("lost").asLong()).isZero();
      assertThat(last.get("duplicates").asLong()).isZero();
      assertThat(exit).isZero();
    }
  }
}
