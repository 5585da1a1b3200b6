package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.WireFormatException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutation fuzzing of everything the ledger reads from the network: entries, checkpoint
 * messages, receipts. No exception other than the domain ones escapes, nothing mutated is accepted,
 * and rejections are counted.
 */
class LedgerFuzzTest {
  private static final int ROUNDS = 300;
  @TempDir Path tmp;
  private Ledger ledger;
  private SignedLog log;
  private final Topics topics = new Topics("fleet-a", "truck-1");

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    log = new SignedLog("truck-1", 3);
    registry.add(pki.deviceCertificate("truck-1", log.key().publicKey()));
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
    log.append(8);
  }

  @AfterEach
  void tearDown() throws Exception {
    ledger.close();
  }

  static Bytes mutate(Bytes in, Random r) {
    byte[] b = in.toByteArray();
    int kind = r.nextInt(4);
    if (kind == 0 && b.length > 0) {
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      }
      return Bytes.wrap(b);
    }
    if (kind == 1 && b.length > 1) {
      return Bytes.of(b, 0, r.nextInt(b.length));
    }
    if (kind == 2) {
      byte[] extra = new byte[1 + r.nextInt(8)];
      r.nextBytes(extra);
      return Bytes.wrap(b).concat(Bytes.wrap(extra));
    }
    byte[] rnd = new byte[r.nextInt(64)];
    r.nextBytes(rnd);
    return Bytes.wrap(rnd);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void entries_mutated_neverStoredOnlyDomainRejections(long seed) throws Exception {
    // given
    Random r = new Random(seed);
    int rejected = 0;
    // when
    for (int i = 0; i < ROUNDS; i++) {
      Bytes m = mutate(log.read(0), r);
      if (m.equals(log.read(0))) {
        continue;
      }
      try {
        ledger.acceptEntry(topics, "0", m);
      } catch (Ledger.RejectedEntryException e) {
        rejected++;
      }
    }
    // then
    assertThat(ledger.existingDevice(topics).map(DeviceLedger::stored).orElse(0L)).isZero();
    long counted =
        ledger.counters().entrySet().stream()
            .filter(e -> e.getKey().startsWith("entry."))
            .mapToLong(java.util.Map.Entry::getValue)
            .sum();
    assertThat(counted).isEqualTo(rejected).isPositive();
  }

  @ParameterizedTest
  @ValueSource(longs = {4, 5, 6})
  void checkpoints_mutated_neverCosignedWrongly(long seed) throws Exception {
    // given
    Random r = new Random(seed);
    Bytes good = new CheckpointMessage(log.checkpoint("fleet-a").wire(), 0, List.of()).encode();
    // when / then
    for (int i = 0; i < ROUNDS; i++) {
      Bytes m = mutate(good, r);
      ReceiptMessage answer = ledger.acceptCheckpoint(topics, m);
      if (answer instanceof ReceiptMessage.Cosigned c) {
        // only a mutation that leaves a verifiable checkpoint of this log may pass
        assertThat(c.size()).isEqualTo(8);
        assertThat(c.root()).isEqualTo(log.root(8));
      }
    }
    assertThat(ledger.device(topics).latest().map(NoteCheckpoint::root).orElse(log.root(8)))
        .isEqualTo(log.root(8));
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8})
  void wireDecoders_mutated_onlyWireFormatException(long seed) {
    // given
    Random r = new Random(seed);
    Bytes cp = new CheckpointMessage("x\n", 3, List.of(Hash.sha256(new byte[1]))).encode();
    Bytes receipt = new ReceiptMessage.Conflict("fork", "note", 4).encode();
    // when / then: any other exception fails the test
    for (int i = 0; i < ROUNDS; i++) {
      try {
        CheckpointMessage.decode(mutate(cp, r));
      } catch (WireFormatException e) {
        assertThat(e.getMessage()).isNotEmpty();
      }
      try {
        ReceiptMessage.decode(mutate(receipt, r));
      } catch (WireFormatException e) {
        assertThat(e.getMessage()).isNotEmpty();
      }
    }
  }
}
