package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.ledger.audit.AuditReport;
import io.haulproof.ledger.audit.BundleBuilder;
import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.audit.BundleVerifier;
import io.haulproof.ledger.facts.LiftFacts;
import io.haulproof.ledger.fixtures.BundleFixture;
import io.haulproof.ledger.sim.LedgerFill;
import io.haulproof.ledger.sim.SyntheticLifts;
import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.ledger.testing.PostgresProcess;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LedgerFill} leaves a valid ledger, on SQLite and on a real PostgreSQL: a new ledger opens
 * on it with every device bound, a dispute bundle from it verifies offline (and fails once
 * tampered), a filled entry replayed is refused, and the next entry a device publishes binds at the
 * next index under a checkpoint proven consistent with the filled one.
 */
class LedgerFillIT {
  private static final String FLEET = "city";
  private static final Instant FIRST = Instant.parse("2026-05-01T00:00:00Z");
  private static final int PER_DEVICE = 200;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void fill_threeDevices_reopensAuditsAndBindsTheNextEntry(String engine) throws Exception {
    try (PostgresProcess pg = engine.equals("postgresql") ? PostgresProcess.start() : null) {
      // given three enrolled devices and the witness key of the ledger's data dir
      String db = pg == null ? null : pg.newDatabase();
      TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
      DeviceKey witness = WitnessKey.loadOrCreate(tmp.resolve("data/witness"));
      List<LedgerFill.Device> devices = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
        devices.add(
            new LedgerFill.Device(
                key, List.of(pki.deviceCertificate("truck-" + i, key.publicKey()))));
      }
      List<String> progress = new ArrayList<>();
      // when filled in batches of 50, two devices at once, and the ledger closed
      LedgerFill.Summary s;
      try (Ledger l = open(db, pki, witness)) {
        s =
            new LedgerFill(
                    l,
                    new LedgerFill.Settings(PER_DEVICE, 50, 7, FIRST.toEpochMilli(), 2),
                    line -> {
                      synchronized (progress) {
                        progress.add(line);
                      }
                    })
                .fill(devices);
      }
      // then every entry was bound under a cosigned checkpoint
      assertThat(s.entries()).isEqualTo(3L * PER_DEVICE);
      assertThat(s.checkpoints()).isEqualTo(3L * PER_DEVICE / 50);
      assertThat(progress).last().asString().contains("3/3 devices", "600 entries bound");
      try (Ledger l = open(db, pki, witness)) {
        // and a new ledger opens on it with every device joined and bound
        LedgerStore store = l.store();
        for (int i = 0; i < 3; i++) {
          String dev = "truck-" + i;
          assertThat(l.registry().member(FLEET, dev)).isPresent();
          Rows.Device row = store.db().read(c -> store.device(c, FLEET, dev, false)).orElseThrow();
          assertThat(row.confirmed()).isEqualTo(PER_DEVICE);
          Rows.Checkpoint latest =
              store.db().read(c -> store.latestCosigned(c, FLEET, dev)).orElseThrow();
          assertThat(latest.size()).isEqualTo(PER_DEVICE);
        }
        // and the dispute bundle of a bin lifted by truck-0 verifies offline, and not once tampered
        Topics t = new Topics(FLEET, "truck-0");
        Bytes first = store.db().read(c -> store.entry(c, FLEET, "truck-0", 0)).get().cose().get();
        String bin =
            LiftFacts.binId((CollectionBody) EntryCodec.decode(CoseSign1.decode(first)).body())
                .orElseThrow();
        BundleBuilder.Result b =
            new BundleBuilder(new StoredEvidence(l))
                .build(bin, FIRST, FIRST.plus(Duration.ofDays(60)));
        assertThat(b.pending()).isZero();
        assertThat(b.bundle().entryCount()).isPositive();
        // (and the bundle the HTTP endpoint streams from this engine is the builder's, byte for
        // byte)
        io.haulproof.ledger.audit.BundleStream stream =
            new io.haulproof.ledger.audit.BundleStream(new StoredEvidence(l));
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        stream.write(stream.plan(bin, FIRST, FIRST.plus(Duration.ofDays(60))), streamed);
        assertThat(streamed.toByteArray()).isEqualTo(BundleCodec.encode(b.bundle()));
        BundleVerifier v = new BundleVerifier(pki.caCertificate(), witness.publicKey());
        AuditReport ok = v.verify(BundleCodec.decode(BundleCodec.encode(b.bundle())));
        assertThat(ok.valid()).as(ok.toString()).isTrue();
        var bad = b.bundle().logs().get(0).entries().get(0);
        var tampered =
            new io.haulproof.ledger.audit.ProvenEntry(
                bad.index(),
                BundleFixture.flip(bad.cose(), bad.cose().length() - 70),
                bad.checkpoint(),
                bad.proof());
        var logs = new ArrayList<>(b.bundle().logs());
        var entries = new ArrayList<>(logs.get(0).entries());
        entries.set(0, tampered);
        logs.set(
            0,
            new io.haulproof.ledger.audit.DeviceEvidence(
                logs.get(0).fleet(),
                logs.get(0).device(),
                logs.get(0).chains(),
                logs.get(0).checkpoints(),
                entries));
        AuditReport no =
            v.verify(
                new io.haulproof.ledger.audit.DisputeBundle(
                    bin, b.bundle().from(), b.bundle().to(), logs));
        assertThat(no.valid()).isFalse();
        // and a filled entry replayed at the next index is refused
        assertThatThrownBy(() -> l.acceptEntry(t, Integer.toString(PER_DEVICE), first))
            .isInstanceOf(Ledger.RejectedEntryException.class)
            .hasMessageContaining("bound at index 0");
        // and the device's next entry binds at index 200 under a checkpoint proven from 200
        MerkleTree tree = MerkleTree.inMemory();
        for (long i = 0; i < PER_DEVICE; i++) {
          long idx = i;
          tree.append(store.db().read(c -> store.entry(c, FLEET, "truck-0", idx)).get().leaf());
        }
        DeviceKey key = devices.get(0).key();
        Bytes next =
            EntryCodec.sign(
                    key,
                    new SyntheticLifts(
                            "truck-0",
                            99,
                            FIRST.plus(Duration.ofDays(40)).toEpochMilli(),
                            PER_DEVICE + 1)
                        .next())
                .encoded();
        assertThat(l.acceptEntry(t, Integer.toString(PER_DEVICE), next))
            .isEqualTo(DeviceLedger.Outcome.BUFFERED);
        tree.append(Rfc9162.leafHash(next));
        String note =
            new CheckpointSigner(key)
                .sign(
                    new Checkpoint(
                        Checkpoint.originFor(FLEET, "truck-0"),
                        PER_DEVICE + 1,
                        tree.root(PER_DEVICE + 1)))
                .encode();
        ReceiptMessage r =
            l.acceptCheckpoint(
                t,
                new CheckpointMessage(
                        note, PER_DEVICE, tree.consistencyProof(PER_DEVICE, PER_DEVICE + 1))
                    .encode());
        assertThat(r).isInstanceOf(ReceiptMessage.Cosigned.class);
        assertThat(((ReceiptMessage.Cosigned) r).entriesStored()).isEqualTo(PER_DEVICE + 1);
        Rows.Candidate bound =
            store.db().read(c -> store.entry(c, FLEET, "truck-0", PER_DEVICE)).orElseThrow();
        assertThat(bound.leaf()).isEqualTo(Rfc9162.leafHash(next));
      }
    }
  }

  private Ledger open(String db, TestPki pki, DeviceKey witness) throws Exception {
    return new Ledger(
        new LedgerStore(Db.open(db, tmp.resolve("data"))),
        true,
        new DeviceRegistry(List.of(pki.caCertificate()), FLEET),
        new LightchainCheckpointNotes(),
        witness,
        "haulproof-witness",
        Clock.systemUTC(),
        Ledger.Limits.defaults());
  }
}
