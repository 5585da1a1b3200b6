package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.entry.ReceiptBody;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.log.WallClock;
import io.haulproof.uplink.wire.Cosignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof bench history}: writes a realistic history through the real {@link Lightchain}
 * (collection entries stamped with GNSS time over the simulated days, blocks, signed checkpoints,
 * witness receipts, a key rotation and its return), so that long-lived states can be tested without
 * waiting for them. Progress goes to stderr, a summary line to stdout.
 *
 * <p>Each working day has {@code --lifts-per-day} lifts spread over ten hours from 06:00 UTC; a
 * block and a checkpoint close after every {@code --lifts-per-block} lifts, and the witness cosigns
 * each checkpoint (a {@code receipt} entry, cosigned by a generated witness key). On day {@code
 * days/2} the device rotates to a second key (a {@code key} ROTATE entry signed by the old one),
 * and on day {@code 3*days/4} rotates back to the data dir's own key, so {@code haulproof run}
 * opens the result with its usual key.
 */
@Command(
    name = "history",
    description = "Write N days of realistic history (entries, blocks, checkpoints, receipts).",
    mixinStandardHelpOptions = true)
final class BenchHistory implements Callable<Integer> {
  private static final long DAY_MS = 86_400_000L;

  @Option(names = "--data-dir", required = true, description = "data dir (appended to)")
  Path dataDir;

  @Option(names = "--days", required = true, description = "days of history")
  int days;

  @Option(names = "--lifts-per-day", required = true, description = "lifts per day")
  int liftsPerDay;

  @Option(
      names = "--bins",
      defaultValue = "0",
      description = "distinct bins the lifts cycle through (default 0: a new bin for every lift)")
  int bins;

  @Option(
      names = "--lifts-per-block",
      defaultValue = "32",
      description = "lifts per block and checkpoint (default ${DEFAULT-VALUE})")
  int liftsPerBlock;

  @Option(
      names = {"--device", "--device-id"},
      defaultValue = "truck-1",
      description = "device id; --device-id is a deprecated alias")
  String deviceId;

  @Option(names = "--fleet", defaultValue = "fleet-a", description = "fleet id")
  String fleet;

  @Option(
      names = "--start",
      defaultValue = "2026-01-01T06:00:00Z",
      description = "first working day's start (default ${DEFAULT-VALUE})")
  Instant start;

  @Option(
      names = "--segment-mib",
      defaultValue = "64",
      description = "log segment size in MiB (default ${DEFAULT-VALUE}, as the agent)")
  int segmentMib;

  /** The simulated GNSS clock; set before each append, read by the log on the same thread. */
  private static final class SimClock implements WallClock {
    volatile long millis;

    @Override
    public Reading now() {
      return new Reading(millis, TimeSource.GNSS, 50);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (days < 1 || liftsPerDay < 1 || liftsPerBlock < 1 || segmentMib < 1) {
      System.err.println(
          "haulproof bench history: --days, --lifts-* and --segment-mib must be >= 1");
      return Main.EXIT_USAGE;
    }
    Files.createDirectories(dataDir);
    DeviceKey home = FileKeyStore.openOrCreate(dataDir);
    DeviceKey rotated = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    DeviceKey witness = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    SimClock clock = new SimClock();
    LightchainOptions options =
        LightchainOptions.defaults(Checkpoint.originFor(fleet, deviceId))
            .withBlocks(Integer.MAX_VALUE / 2, TimeUnit.DAYS.toMillis(1))
            .withLog(LogOptions.defaults().withSegmentBytes((long) segmentMib << 20));
    long t0 = System.nanoTime();
    long lifts = 0;
    long receipts = 0;
    long checkpoints = 0;
    try (Lightchain chain = Lightchain.open(dataDir, home, deviceId, options, clock)) {
      long entriesBefore = chain.log().size();
      long blocksBefore = chain.blockCount();
      long spacing = 10 * 3_600_000L / liftsPerDay;
      for (int d = 0; d < days; d++) {
        long dayStart = start.toEpochMilli() + d * DAY_MS;
        clock.millis = dayStart;
        if (d == days / 2 && days > 1) {
          rotate(chain, chain.log().key(), rotated, "scheduled rotation (bench history)");
        } else if (d == days * 3 / 4 && days > 3) {
          rotate(chain, chain.log().key(), home, "back to the data dir key (bench history)");
        }
        List<CompletableFuture<Appended>> pending = new ArrayList<>();
        for (int i = 0; i < liftsPerDay; i++) {
          clock.millis = dayStart + i * spacing;
          long bin = bins > 0 ? lifts % bins : lifts;
          pending.add(chain.append(BenchCommand.syntheticCollection(lifts++, bin)));
          if (pending.size() == liftsPerBlock || i == liftsPerDay - 1) {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .get(5, TimeUnit.MINUTES);
            pending.clear();
            Optional<SignedNote> note = chain.flush().get(5, TimeUnit.MINUTES);
            checkpoints++;
            if (note.isPresent()) {
              clock.millis += 2_000; // the witness answers a moment later
              chain
                  .append(receipt(witness, note.get(), clock.millis / 1000))
                  .get(5, TimeUnit.MINUTES);
              receipts++;
            }
          }
        }
        if ((d + 1) % Math.max(1, days / 100) == 0 || d == days - 1) {
          double s = (System.nanoTime() - t0) / 1e9;
          System.err.printf(
              "bench history: day %d/%d, %d lifts, %d entries, %d blocks, %.1f s%n",
              d + 1, days, lifts, chain.log().size(), chain.blockCount(), s);
        }
      }
      chain.flush().get(5, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - t0) / 1e9;
      ObjectNode out = JsonLines.object();
      out.put("days", days);
      out.put("lifts", lifts);
      out.put("entries", chain.log().size() - entriesBefore);
      out.put("blocks", chain.blockCount() - blocksBefore);
      out.put("checkpoints", checkpoints);
      out.put("receipts", receipts);
      out.put("seconds", Math.round(seconds * 10) / 10.0);
      out.put("entries_per_s", Math.round((chain.log().size() - entriesBefore) / seconds));
      JsonLines.print(out);
    }
    return 0;
  }

  private static void rotate(Lightchain chain, DeviceKey from, DeviceKey to, String why)
      throws Exception {
    chain
        .append(
            new KeyBody(
                KeyAction.ROTATE,
                to.kid(),
                PublicKeys.spki(to.publicKey()),
                List.of(),
                Optional.of(from.kid()),
                Optional.of(why)))
        .get(5, TimeUnit.MINUTES);
    chain.switchKey(to);
  }

  private static ReceiptBody receipt(DeviceKey witness, SignedNote note, long seconds) {
    Checkpoint c = Checkpoint.parse(note.text());
    return new ReceiptBody(
        "bench-witness",
        witness.kid(),
        c.size(),
        c.root(),
        Cosignatures.sign(witness, note.text(), seconds),
        seconds);
  }
}
