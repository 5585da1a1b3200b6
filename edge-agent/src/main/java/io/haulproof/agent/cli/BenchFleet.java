package io.haulproof.agent.cli;

import io.haulproof.agent.fleetbench.FleetBench;
import io.haulproof.agent.fleetbench.Pace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code haulproof bench fleet}: the fleet simulator (issue 10, docs/ledger.md "Fleet simulator").
 * {@code --init-ca --ca-dir DIR} creates the fleet CA and {@code DIR/fleet-ca.pem}; with {@code
 * --broker} it drives N simulated trucks against the ledgers and prints as its last line {@code
 * {"trucks":N,"entries":E,"stored":S,"cosigned":C,"lost":L,"duplicates":D,"entries_per_s":R}}.
 */
@Command(
    name = "fleet",
    description = "Simulate a fleet of trucks against ledgers (or --init-ca).",
    mixinStandardHelpOptions = true)
final class BenchFleet implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--init-ca", description = "Create the fleet CA in --ca-dir and exit")
  boolean initCa;

  @Option(names = "--ca-dir", required = true, description = "Fleet CA directory")
  Path caDir;

  @Option(names = "--fleet", defaultValue = "bench", description = "Fleet id for --init-ca")
  String fleet;

  @Option(names = "--broker", description = "MQTT broker URL (tcp://host:port)")
  String broker;

  @Option(names = "--trucks", defaultValue = "10", description = "Number of simulated trucks")
  int trucks;

  @Option(
      names = "--entries-per-truck",
      defaultValue = "100",
      description = "Entries each truck publishes")
  int entriesPerTruck;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "50",
      description = "Entries between two checkpoints")
  int checkpointEvery;

  @Option(names = "--connections", defaultValue = "8", description = "MQTT connections used")
  int connections;

  @Option(names = "--timeout-s", defaultValue = "300", description = "Give up after this long")
  long timeoutSeconds;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic lifts")
  long seed;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Entries per second each truck produces (a city truck: about 0.04); 0 (default) publishes"
              + " as fast as the ledgers take them")
  double rate;

  @Option(
      names = "--outage-trucks",
      defaultValue = "0",
      description = "How many trucks lose coverage during the run (then send their backlog)")
  int outageTrucks;

  @Option(
      names = "--outage-at-s",
      defaultValue = "10",
      description = "When the outage starts, seconds into the run")
  long outageAtSeconds;

  @Option(names = "--outage-s", defaultValue = "60", description = "How long the outage lasts")
  long outageSeconds;

  @Option(
      names = "--witness-key",
      description =
          "The ledgers' witness public key (PEM, witness/witness.pub.pem): receipts not signed by"
              + " it are counted as rejected. Without it receipts are counted unverified")
  Path witnessKey;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    try {
      if (initCa) {
        JsonLines.print(FleetBench.initCa(caDir, fleet));
        return 0;
      }
      if (broker == null) {
        err.println("haulproof bench fleet: --broker is required (or --init-ca)");
        return Main.EXIT_USAGE;
      }
      if (trucks < 1 || entriesPerTruck < 1 || checkpointEvery < 1 || connections < 1) {
        err.println("haulproof bench fleet: counts must be >= 1");
        return Main.EXIT_USAGE;
      }
      if (!(rate >= 0) || outageTrucks < 0 || outageAtSeconds < 0 || outageSeconds < 0) {
        err.println(
            "haulproof bench fleet: --rate, --outage-trucks, --outage-at-s and --outage-s must"
                + " be >= 0");
        return Main.EXIT_USAGE;
      }
      FleetBench.Summary s =
          FleetBench.run(
              new FleetBench.Settings(
                  broker,
                  caDir,
                  trucks,
                  entriesPerTruck,
                  checkpointEvery,
                  connections,
                  Duration.ofSeconds(timeoutSeconds),
                  seed,
                  new Pace(
                      rate,
                      Math.min(outageTrucks, trucks),
                      Duration.ofSeconds(outageAtSeconds),
                      Duration.ofSeconds(outageSeconds)),
                  witnessKey == null
                      ? java.util.Optional.empty()
                      : java.util.Optional.of(
                          io.haulproof.uplink.tls.Pem.parsePublicKey(
                              java.nio.file.Files.readString(witnessKey)))),
              err);
      JsonLines.print(s.details());
      JsonLines.print(s.line());
      return s.complete() ? 0 : Main.EXIT_CHECK_FAILED;
    } catch (java.io.IOException | IllegalArgumentException e) {
      err.println("haulproof bench fleet: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
  }
}
