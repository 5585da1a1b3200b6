package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.ledger.audit.BundleBuilder;
import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.audit.BundleStream;
import io.haulproof.ledger.audit.EvidenceSource;
import io.haulproof.ledger.fixtures.MemoryEvidence;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.ledger.sim.SyntheticLifts;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BundleStream} writes the same bytes as the in-memory {@link BundleBuilder} then {@link
 * BundleCodec#encode} (the format {@code haulproof audit verify} reads), from the SQL store and
 * from any {@link EvidenceSource}, across pages, and leaves a broken file when the store fails
 * mid-way.
 */
class BundleStreamTest {
  private static final String FLEET = "city";
  private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void streamFromSqlite_seededRandomFleet_sameBytesAndCountsAsTheBuilder(long seed)
      throws Exception {
    // given 3 trucks on interleaved clocks lifting bins 42 and 43 among others; each truck's
    // checkpoint is cosigned and some of them bound further checkpoints the witness did not reach
    Random rnd = new Random(seed);
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    List<TruckLog> trucks = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      TruckLog truck =
          new TruckLog(
              pki,
              FLEET,
              "truck-" + (char) ('c' - t), // names against the time order: the order is tested
              seed * 10 + t,
              FROM.plusSeconds(rnd.nextInt(7200)).toEpochMilli());
      registry.add(truck.certificate());
      trucks.add(truck);
    }
    try (Ledger ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC())) {
      for (TruckLog truck : trucks) {
        int n = 20 + rnd.nextInt(60);
        for (int i = 0; i < n; i++) {
          int r = rnd.nextInt(10);
          truck.lift(r < 3 ? 42 : r < 5 ? 43 : 100 + rnd.nextInt(50));
        }
        bind(ledger, truck, 0, n - rnd.nextInt(10));
      }
      StoredEvidence evidence = new StoredEvidence(ledger);
      Instant end = FROM.plus(Duration.ofDays(3));
      for (int bin : new int[] {42, 43}) {
        String id = binId(bin);
        // whole period and a part of it, and one that holds none of the bin's lifts
        for (Instant[] p :
            new Instant[][] {
              {FROM, end},
              {FROM.plusSeconds(3600 + rnd.nextInt(3600)), FROM.plusSeconds(9000)},
              {end, end.plusSeconds(60)}
            }) {
          // when
          assertSameAsBuilder(evidence, id, p[0], p[1]);
        }
      }
    }
  }

  @Test
  void streamFromSqlite_overAThousandLiftsOfOneBin_pagedSameBytes() throws Exception {
    // given a truck with 1,300 lifts, most of bin 42 (more than two pages of indexes)
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    TruckLog truck = new TruckLog(pki, FLEET, "truck-1", 5, FROM.toEpochMilli());
    registry.add(truck.certificate());
    for (int i = 0; i < 1300; i++) {
      truck.lift(i % 10 == 9 ? 77 : 42);
    }
    try (Ledger ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC())) {
      bind(ledger, truck, 0, 1300);
      // when / then
      BundleStream.Plan plan =
          assertSameAsBuilder(
              new StoredEvidence(ledger), binId(42), FROM, FROM.plusSeconds(1_000_000));
      assertThat(plan.entries()).isEqualTo(1170);
    }
  }

  @Test
  void streamFromMemory_uncosignedTruckAndLiftsPastTheCheckpoint_sameBytesAndPending()
      throws Exception {
    // given truck-1 cosigned at 30 of 40 lifts, truck-2 never cosigned (the default queries)
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    TruckLog t1 = new TruckLog(pki, FLEET, "truck-1", 11, FROM.toEpochMilli());
    TruckLog t2 = new TruckLog(pki, FLEET, "truck-2", 12, FROM.toEpochMilli());
    for (int i = 0; i < 40; i++) {
      t1.lift(i % 3 == 0 ? 42 : 100 + i);
      t2.lift(i % 4 == 0 ? 42 : 100 + i);
    }
    MemoryEvidence evidence =
        new MemoryEvidence(SoftwareDeviceKey.generate(CoseAlgorithm.ES256)).add(t1, 30).add(t2, 0);
    // when / then: t1's 10 lifts of bin 42 before 30 are in; its 4 after and t2's 10 are pending
    BundleStream.Plan plan =
        assertSameAsBuilder(evidence, binId(42), FROM, FROM.plusSeconds(1_000_000));
    assertThat(plan.entries()).isEqualTo(10);
    assertThat(plan.pending()).isEqualTo(4 + 10);
  }

  @Test
  void stream_storeLosesEntriesMidWay_failsWithoutClosingTheDocument() throws Exception {
    // given a store whose lift pages come up short of what its counts promised
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    TruckLog t1 = new TruckLog(pki, FLEET, "truck-1", 11, FROM.toEpochMilli());
    for (int i = 0; i < 20; i++) {
      t1.lift(42);
    }
    MemoryEvidence memory =
        new MemoryEvidence(SoftwareDeviceKey.generate(CoseAlgorithm.ES256)).add(t1, 20);
    EvidenceSource shrinking = new Shrinking(memory);
    BundleStream stream = new BundleStream(shrinking);
    String bin = binId(42);
    BundleStream.Plan plan = stream.plan(bin, FROM, FROM.plusSeconds(1_000_000));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // when / then
    assertThatThrownBy(() -> stream.write(plan, out))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("planned 20 entries, found 10");
    // and what was written is no complete bundle: audit verify calls it truncated
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{").contains("\"index\" : 9,");
    assertThatThrownBy(() -> BundleCodec.decode(out.toByteArray()))
        .isInstanceOf(io.haulproof.ledger.audit.BundleFormatException.class)
        .hasMessageContaining("not complete JSON");
  }

  /** Streams the bundle and checks it against the builder; returns the plan. */
  private static BundleStream.Plan assertSameAsBuilder(
      EvidenceSource evidence, String bin, Instant from, Instant to) throws IOException {
    BundleBuilder.Result built = new BundleBuilder(evidence).build(bin, from, to);
    byte[] expected = BundleCodec.encode(built.bundle());
    BundleStream stream = new BundleStream(evidence);
    BundleStream.Plan plan = stream.plan(bin, from, to);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    stream.write(plan, out);
    assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
        .as("bundle of %s in %s..%s", bin, from, to)
        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    assertThat(out.toByteArray()).isEqualTo(expected);
    assertThat(plan.entries()).isEqualTo(built.bundle().entryCount());
    assertThat(plan.pending()).isEqualTo(built.pending());
    return plan;
  }

  /** Accepts {@code truck}'s entries [from, to) and its checkpoint at {@code to}, cosigned. */
  private static void bind(Ledger ledger, TruckLog truck, long from, long to) throws Exception {
    Topics t = new Topics(FLEET, truck.device());
    List<Ledger.Received> batch = new ArrayList<>();
    for (long i = from; i < to; i++) {
      batch.add(new Ledger.Received(Long.toString(i), truck.entry(i)));
    }
    for (Ledger.Accepted a : ledger.acceptEntries(t, batch)) {
      assertThat(a.refused()).isEmpty();
    }
    ReceiptMessage r =
        ledger.acceptCheckpoint(
            t, new CheckpointMessage(truck.note(to), from, truck.consistency(from, to)).encode());
    assertThat(r).isInstanceOf(ReceiptMessage.Cosigned.class);
  }

  /** The bin id the ledger keys city bin {@code n} by (lowercase hex of its tag). */
  private static String binId(int n) {
    return SyntheticLifts.binTag(n).toHex().toLowerCase(java.util.Locale.ROOT);
  }

  /** Reports the lifts in full, but serves only the first half of each device's indexes. */
  private record Shrinking(EvidenceSource inner) implements EvidenceSource {
    @Override
    public Map<LogRef, List<Long>> lifts(String bin, Instant from, Instant to) throws IOException {
      return inner.lifts(bin, from, to);
    }

    @Override
    public List<Long> liftIndexes(
        LogRef log, String bin, Instant from, Instant to, long after, long below, int limit)
        throws IOException {
      List<Long> all = inner.liftIndexes(log, bin, from, to, after, below, limit);
      return all.subList(0, all.size() / 2);
    }

    @Override
    public Bytes entry(LogRef log, long index) throws IOException {
      return inner.entry(log, index);
    }

    @Override
    public List<List<Bytes>> chains(LogRef log) throws IOException {
      return inner.chains(log);
    }

    @Override
    public Optional<Cosigned> latestCosigned(LogRef log) throws IOException {
      return inner.latestCosigned(log);
    }

    @Override
    public List<Hash> inclusion(LogRef log, long index, long size) throws IOException {
      return inner.inclusion(log, index, size);
    }
  }
}
