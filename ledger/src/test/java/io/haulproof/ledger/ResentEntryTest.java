package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resend of an entry the ledger verified already is not verified again ({@link VerifiedEntries}),
 * and nothing that differs from it by a bit gets through on that account.
 */
class ResentEntryTest {
  private static final String FLEET = "fleet-a";
  private static final String DEVICE = "truck-1";

  @TempDir Path tmp;
  private Ledger ledger;
  private SignedLog log;
  private final Topics topics = new Topics(FLEET, DEVICE);

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    log = new SignedLog(DEVICE, 1);
    registry.add(pki.deviceCertificate(DEVICE, log.key().publicKey()));
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    ledger.close();
  }

  /** Entry {@code i} with one bit of its signature (the COSE_Sign1's last bytes) flipped. */
  private Bytes forged(int i) {
    byte[] b = log.read(i).toByteArray();
    b[b.length - 3] ^= 0x01;
    return Bytes.wrap(b);
  }

  private List<Ledger.Accepted> offer(Ledger.Received... entries) throws Exception {
    return ledger.acceptEntries(topics, List.of(entries));
  }

  @Test
  void entry_resentByteForByte_duplicateWithoutSecondVerification() throws Exception {
    // given
    log.append(2);
    ledger.acceptEntries(
        topics,
        List.of(new Ledger.Received("0", log.read(0)), new Ledger.Received("1", log.read(1))));
    // when the truck resends both
    List<Ledger.Accepted> again =
        offer(new Ledger.Received("0", log.read(0)), new Ledger.Received("1", log.read(1)));
    // then
    assertThat(again)
        .extracting(Ledger.Accepted::orThrow)
        .containsExactly(DeviceLedger.Outcome.DUPLICATE, DeviceLedger.Outcome.DUPLICATE);
    assertThat(ledger.counters())
        .containsEntry("entry.signature_known", 2L)
        .containsEntry("entry.duplicate", 2L);
  }

  @Test
  void entry_forgedSignatureAfterGenuineVerified_refusedAndGenuineKept() throws Exception {
    // given entry 0 verified and held
    log.append(1);
    ledger.acceptEntry(topics, "0", log.read(0));
    // when a copy with a broken signature comes in the same batch as a resend of the original
    List<Ledger.Accepted> out =
        offer(new Ledger.Received("0", forged(0)), new Ledger.Received("0", log.read(0)));
    // then
    assertThat(out.get(0).refused()).hasValueSatisfying(r -> assertThat(r).contains("ES256"));
    assertThat(out.get(1).orThrow()).isEqualTo(DeviceLedger.Outcome.DUPLICATE);
    assertThat(ledger.counters()).containsEntry("entry.bad_signature", 1L);
    assertThat(ledger.device(topics).evidence("unbound")).isZero();
  }

  @Test
  void entry_forgedSignatureAfterGenuineBound_refused() throws Exception {
    // given entry 0 verified and bound by a cosigned checkpoint
    log.append(1);
    ledger.acceptEntry(topics, "0", log.read(0));
    ledger.acceptCheckpoint(
        topics, new CheckpointMessage(LedgerTest.sign(log, 1), 0, List.of()).encode());
    assertThat(ledger.device(topics).stored()).isEqualTo(1);
    // when
    List<Ledger.Accepted> out = offer(new Ledger.Received("0", forged(0)));
    // then refused, not a duplicate nor a conflict
    assertThat(out.get(0).refused()).hasValueSatisfying(r -> assertThat(r).contains("ES256"));
    assertThat(ledger.counters())
        .containsEntry("entry.bad_signature", 1L)
        .doesNotContainKey("entry.conflict");
  }
}
