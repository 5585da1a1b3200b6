package io.haulproof.ledger.audit;

import io.haulproof.ledger.facts.LiftFacts;
import io.haulproof.ledger.fixtures.MemoryEvidence;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.ledger.sim.SyntheticLifts;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A good dispute bundle for tests: bin 7 lifted twice by truck-1 and once by truck-2 on 2026-05-04;
 * truck-1's section proves its entries against two checkpoints (sizes 12 and 20) with a consistency
 * proof between them.
 */
final class BundleFixture {
  static final int BIN = 7;
  static final String BIN_ID = LiftFacts.binId(tag(BIN));
  static final Instant FROM = Instant.parse("2026-05-04T00:00:00Z");
  static final Instant TO = Instant.parse("2026-05-05T00:00:00Z");
  static final long START = Instant.parse("2026-05-04T06:00:00Z").toEpochMilli();

  final TestPki pki;
  final SoftwareDeviceKey witness = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  final TruckLog truck1;
  final TruckLog truck2;
  final DisputeBundle bundle;

  BundleFixture(Path dir) throws IOException {
    pki = TestPki.create(dir.resolve("pki"), "Haulproof fleet root city");
    truck1 = new TruckLog(pki, "city", "truck-1", 11, START);
    truck2 = new TruckLog(pki, "city", "truck-2", 12, START);
    truck1.lifts(3);
    truck1.lift(BIN); // index 3
    truck1.lifts(6);
    truck1.lift(BIN); // index 10
    truck1.lifts(9); // size 20
    truck2.lifts(5);
    truck2.lift(BIN); // index 5
    truck2.lifts(4);
    MemoryEvidence source =
        new MemoryEvidence(witness).add(truck1, truck1.size()).add(truck2, truck2.size());
    DisputeBundle built = new BundleBuilder(source).build(BIN_ID, FROM, TO).bundle();
    bundle = withTwoCheckpoints(built);
  }

  static io.haulproof.lightchain.entry.ContainerRead tag(int bin) {
    return new io.haulproof.lightchain.entry.ContainerRead(
        SyntheticLifts.binTag(bin),
        io.haulproof.lightchain.entry.TagTechnology.FDX_B,
        java.util.OptionalInt.empty(),
        java.util.OptionalLong.empty(),
        1,
        java.util.OptionalInt.empty(),
        java.util.OptionalInt.empty());
  }

  /** Truck-1's section: checkpoint 0 at size 12 proves entry 3 and 10, checkpoint 1 at 20. */
  private DisputeBundle withTwoCheckpoints(DisputeBundle b) {
    List<DeviceEvidence> logs = new ArrayList<>();
    for (DeviceEvidence d : b.logs()) {
      if (!d.device().equals("truck-1")) {
        logs.add(d);
        continue;
      }
      List<CosignedCheckpoint> cps =
          List.of(
              new CosignedCheckpoint(
                  truck1.note(12), truck1.cosign(witness, 12, 1_779_000_000L), List.of()),
              new CosignedCheckpoint(
                  truck1.note(20),
                  truck1.cosign(witness, 20, 1_779_000_600L),
                  truck1.consistency(12, 20)));
      List<ProvenEntry> es = new ArrayList<>();
      es.add(new ProvenEntry(3, truck1.entry(3), 0, truck1.inclusion(3, 12)));
      es.add(new ProvenEntry(10, truck1.entry(10), 1, truck1.inclusion(10, 20)));
      logs.add(new DeviceEvidence(d.fleet(), d.device(), d.chains(), cps, es));
    }
    return new DisputeBundle(b.bin(), b.from(), b.to(), logs);
  }

  BundleVerifier verifier() {
    return new BundleVerifier(pki.caCertificate(), witness.publicKey());
  }

  /** The bundle with truck-1's section replaced. */
  DisputeBundle withTruck1(java.util.function.UnaryOperator<DeviceEvidence> change) {
    List<DeviceEvidence> logs = new ArrayList<>();
    for (DeviceEvidence d : bundle.logs()) {
      logs.add(d.device().equals("truck-1") ? change.apply(d) : d);
    }
    return new DisputeBundle(bundle.bin(), bundle.from(), bundle.to(), logs);
  }

  static DeviceEvidence withEntries(DeviceEvidence d, List<ProvenEntry> entries) {
    return new DeviceEvidence(d.fleet(), d.device(), d.chains(), d.checkpoints(), entries);
  }

  static Bytes flip(Bytes b, int at) {
    byte[] raw = b.toByteArray();
    raw[at] ^= 0x01;
    return Bytes.wrap(raw);
  }
}
