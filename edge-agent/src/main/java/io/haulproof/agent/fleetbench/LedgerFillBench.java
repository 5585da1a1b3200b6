package io.haulproof.agent.fleetbench;

import io.haulproof.agent.provision.CsrBuilder;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LightchainCheckpointNotes;
import io.haulproof.ledger.WitnessKey;
import io.haulproof.ledger.sim.LedgerFill;
import io.haulproof.ledger.store.DataDirLock;
import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code haulproof bench ledger-fill}: enrolls N simulated trucks from the fleet CA the way {@code
 * bench fleet} does and fills the ledger's database with their signed, cosigned history ({@link
 * LedgerFill}), without a broker: the ledger state a city's ledger holds after a while, in minutes.
 * It opens the database the way {@code haulproof ledger} does (same data dir, so the same witness
 * key and lock).
 */
public final class LedgerFillBench {
  private LedgerFillBench() {}

  /** How to fill; {@code db} null for SQLite in {@code dataDir}. */
  public record Settings(
      String db,
      Path dataDir,
      Path caDir,
      String witnessName,
      int devices,
      LedgerFill.Settings fill) {}

  /** Fills and returns the last line's fields. */
  public static Map<String, Object> run(Settings s, PrintWriter err)
      throws IOException, InterruptedException {
    FleetCa ca = FleetCa.open(s.caDir(), Clock.systemUTC());
    String runId = Long.toHexString(System.nanoTime() & 0xffffff);
    err.println("bench ledger-fill: enrolling " + s.devices() + " trucks");
    err.flush();
    List<LedgerFill.Device> devices = new ArrayList<>();
    for (int i = 0; i < s.devices(); i++) {
      String device = "f" + runId + "-" + i;
      SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
      X509Certificate cert =
          ca.issueDevice(CsrBuilder.build(key, new DeviceRef(ca.fleet(), device)), device);
      devices.add(new LedgerFill.Device(key, List.of(cert, ca.root())));
    }
    try (DataDirLock lock = DataDirLock.acquire(s.dataDir());
        Ledger ledger =
            new Ledger(
                new LedgerStore(Db.open(s.db(), s.dataDir())),
                true,
                new DeviceRegistry(List.of(ca.root()), ca.fleet()),
                new LightchainCheckpointNotes(),
                WitnessKey.loadOrCreate(s.dataDir().resolve("witness")),
                s.witnessName(),
                Clock.systemUTC(),
                Ledger.Limits.defaults())) {
      LedgerFill.Summary r =
          new LedgerFill(
                  ledger,
                  s.fill(),
                  line -> {
                    err.println(line);
                    err.flush();
                  })
              .fill(devices);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("devices", r.devices());
      out.put("entries", r.entries());
      out.put("checkpoints", r.checkpoints());
      out.put("seconds", Math.round(r.seconds() * 10) / 10.0);
      out.put("entries_per_s", Math.round(r.entries() / Math.max(r.seconds(), 1e-3)));
      return out;
    }
  }
}
