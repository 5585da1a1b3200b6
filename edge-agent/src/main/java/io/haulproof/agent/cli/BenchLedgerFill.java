package io.haulproof.agent.cli;

import io.haulproof.agent.fleetbench.LedgerFillBench;
import io.haulproof.ledger.sim.LedgerFill;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code haulproof bench ledger-fill}: fills a ledger database with N trucks' signed, cosigned
 * history through the ledger's own code, without a broker (docs/ledger.md "Operations"); progress
 * on stderr, and as the last line {@code
 * {"devices":N,"entries":E,"checkpoints":C,"seconds":S,"entries_per_s":R}}.
 */
@Command(
    name = "ledger-fill",
    description = "Fill a ledger database with N trucks' signed, cosigned history (no broker).",
    mixinStandardHelpOptions = true)
final class BenchLedgerFill implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--db",
      description = "postgresql://user@host:port/database; SQLite in --data-dir without it")
  String db;

  @Option(
      names = "--data-dir",
      required = true,
      description = "The ledger's data dir (its witness key, lock, and SQLite database)")
  Path dataDir;

  @Option(names = "--ca-dir", required = true, description = "Fleet CA directory (--init-ca)")
  Path caDir;

  @Option(names = "--devices", defaultValue = "10", description = "Number of trucks")
  int devices;

  @Option(
      names = "--entries-per-device",
      defaultValue = "100",
      description = "Entries each truck signs")
  int entriesPerDevice;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "1000",
      description = "Entries per batch, each closed by a cosigned checkpoint (at most 4096)")
  int checkpointEvery;

  @Option(names = "--threads", defaultValue = "2", description = "Trucks filled at once")
  int threads;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic lifts")
  long seed;

  @Option(
      names = "--days-ago",
      defaultValue = "40",
      description = "The first lifts are this many days ago (truck i starts i mod 28 days later)")
  int daysAgo;

  @Option(
      names = "--witness-name",
      defaultValue = "haulproof-witness",
      description = "Witness name in cosignatures (as haulproof ledger --witness-name)")
  String witnessName;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    if (devices < 1 || entriesPerDevice < 1 || checkpointEvery < 1 || threads < 1) {
      err.println("haulproof bench ledger-fill: counts must be >= 1");
      return Main.EXIT_USAGE;
    }
    try {
      var line =
          LedgerFillBench.run(
              new LedgerFillBench.Settings(
                  db,
                  dataDir,
                  caDir,
                  witnessName,
                  devices,
                  new LedgerFill.Settings(
                      entriesPerDevice,
                      checkpointEvery,
                      seed,
                      System.currentTimeMillis() - daysAgo * 86_400_000L,
                      threads)),
              err);
      JsonLines.print(line);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("haulproof bench ledger-fill: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (java.io.IOException e) {
      err.println("haulproof bench ledger-fill: " + e.getMessage());
      return Main.EXIT_CHECK_FAILED;
    }
  }
}
