package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.Cosignatures;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger and witness without a transport: entry intake and the checkpoint rules. */
class LedgerTest {
  static final String FLEET = "fleet-a";
  static final String DEVICE = "truck-1";

  @TempDir Path tmp;
  private TestPki pki;
  private java.security.cert.X509Certificate deviceCert;
  private Ledger ledger;
  private SignedLog log;
  private final Topics topics = new Topics(FLEET, DEVICE);

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    log = new SignedLog(DEVICE, 1);
    deviceCert = pki.deviceCertificate(DEVICE, log.key().publicKey());
    registry.add(deviceCert);
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    ledger.close();
  }

  static String sign(SignedLog log, long size) {
    return new CheckpointSigner(log.key())
        .sign(new Checkpoint(Checkpoint.originFor(FLEET, DEVICE), size, log.root(size)))
        .encode();
  }

  private ReceiptMessage submit(long size, long from) throws Exception {
    List<Hash> proof = from == 0 || from == size ? List.of() : log.consistencyProof(from, size);
    return ledger.acceptCheckpoint(
        topics, new CheckpointMessage(sign(log, size), from, proof).encode());
  }

  @Test
  void entries_inOrderWithDuplicates_storedOnceInOrder() throws Exception {
    // given
    log.append(5);
    // when
    for (int i : new int[] {0, 1, 1, 3, 2, 4, 3, 0}) {
      ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
    }
    // then nothing is bound before the device's checkpoint says where each entry belongs
    DeviceLedger d = ledger.device(topics);
    assertThat(d.stored()).isZero();
    assertThat(submit(5, 0)).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(d.stored()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(d.entry(i)).isEqualTo(log.read(i));
    }
    assertThat(ledger.counters())
        .containsEntry("entry.duplicate", 3L)
        .containsEntry("entry.buffered", 5L)
        .containsEntry("entry.bound", 5L);
  }

  @Test
  void checkpoint_bindsThousandsOfEntriesOnASmallStack_allStored() throws Exception {
    // given 3,000 entries held before the one checkpoint that binds them (a truck back online)
    log.append(3000);
    for (int i = 0; i < 3000; i++) {
      ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
    }
    // when the checkpoint arrives on a thread with a 256 KiB stack (binding once recursed per
    // entry)
    Object[] answer = new Object[1];
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                answer[0] = submit(3000, 0);
              } catch (Throwable e) {
                answer[0] = e;
              }
            },
            "small-stack",
            256 * 1024);
    t.start();
    t.join();
    // then
    assertThat(answer[0]).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(ledger.device(topics).stored()).isEqualTo(3000);
  }

  @Test
  void entry_afterCheckpointCoversIt_boundAtOnce() throws Exception {
    // given a cosigned checkpoint at 3 that arrived before its entries
    log.append(3);
    submit(3, 0);
    // when
    DeviceLedger.Outcome a = ledger.acceptEntry(topics, "1", log.read(1));
    DeviceLedger.Outcome b = ledger.acceptEntry(topics, "0", log.read(0));
    DeviceLedger.Outcome c = ledger.acceptEntry(topics, "2", log.read(2));
    // then the last one completes the run the checkpoint covers
    assertThat(List.of(a, b, c))
        .containsExactly(
            DeviceLedger.Outcome.BUFFERED,
            DeviceLedger.Outcome.BUFFERED,
            DeviceLedger.Outcome.STORED);
    assertThat(ledger.device(topics).stored()).isEqualTo(3);
  }

  @Test
  void entry_otherDevicesTopic_rejected() throws Exception {
    // given an entry of truck-1 sent on truck-2's topic
    log.append(1);
    // when / then
    assertThatThrownBy(() -> ledger.acceptEntry(new Topics(FLEET, "truck-2"), "0", log.read(0)))
        .isInstanceOf(Ledger.RejectedEntryException.class)
        .hasMessageContaining("truck-2");
  }

  @Test
  void entry_signedByUnregisteredKey_rejected() throws Exception {
    // given
    SignedLog rogue = new SignedLog(DEVICE, 99);
    rogue.append(1);
    // when / then
    assertThatThrownBy(() -> ledger.acceptEntry(topics, "0", rogue.read(0)))
        .isInstanceOf(Ledger.RejectedEntryException.class)
        .hasMessageContaining("kid");
    assertThat(ledger.existingDevice(topics).map(DeviceLedger::stored).orElse(0L)).isZero();
  }

  @Test
  void entry_signatureByteFlipped_rejected() throws Exception {
    // given
    log.append(1);
    byte[] b = log.read(0).toByteArray();
    b[b.length - 3] ^= 0x01;
    // when / then
    assertThatThrownBy(() -> ledger.acceptEntry(topics, "0", Bytes.wrap(b)))
        .isInstanceOf(Ledger.RejectedEntryException.class);
  }

  @Test
  void entry_differentBytesAtStoredIndex_conflictKeptNotStored() throws Exception {
    // given a second log of the same device key: same index, different entry
    log.append(2);
    ledger.acceptEntry(topics, "0", log.read(0));
    submit(1, 0);
    // when
    DeviceLedger.Outcome o = ledger.acceptEntry(topics, "0", log.read(1));
    // then
    assertThat(o).isEqualTo(DeviceLedger.Outcome.CONFLICT);
    assertThat(ledger.device(topics).stored()).isEqualTo(1);
    assertThat(ledger.device(topics).entry(0)).isEqualTo(log.read(0));
  }

  @Test
  void checkpoint_firstThenExtension_cosignedWithVerifiableSignature() throws Exception {
    // given
    log.append(10);
    ReceiptMessage first = submit(4, 0);
    // when
    ReceiptMessage second = submit(10, 4);
    // then
    assertThat(first).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(second).isInstanceOf(ReceiptMessage.Cosigned.class);
    ReceiptMessage.Cosigned c = (ReceiptMessage.Cosigned) second;
    assertThat(c.size()).isEqualTo(10);
    assertThat(c.root()).isEqualTo(log.root(10));
    Cosignatures.verify(
        SignatureVerifier.of(ledger.witnessPublicKey()),
        c.checkpoint(),
        c.timestamp(),
        c.cosignature());
    assertThat(ledger.device(topics).latest().orElseThrow().size()).isEqualTo(10);
  }

  @Test
  void checkpoint_forkAtSameSize_conflictCarriesWitnessedCheckpoint() throws Exception {
    // given a witnessed checkpoint at 6, and a second log (same key) forked after entry 3
    log.append(6);
    submit(6, 0);
    SignedLog fork = forkOf(log, 3);
    fork.append(3);
    // when
    ReceiptMessage r =
        ledger.acceptCheckpoint(
            topics, new CheckpointMessage(sign(fork, 6), 6, List.of()).encode());
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    ReceiptMessage.Conflict c = (ReceiptMessage.Conflict) r;
    assertThat(c.reason()).startsWith("fork");
    assertThat(c.latest()).isEqualTo(sign(log, 6));
  }

  @Test
  void checkpoint_forkExtendingFromWitnessed_conflict() throws Exception {
    // given
    log.append(6);
    submit(6, 0);
    SignedLog fork = forkOf(log, 3);
    fork.append(5);
    // when: the forked log proves consistency from 6 in its own tree (it cannot in ours)
    ReceiptMessage r =
        ledger.acceptCheckpoint(
            topics, new CheckpointMessage(sign(fork, 8), 6, fork.consistencyProof(6, 8)).encode());
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(((ReceiptMessage.Conflict) r).reason()).contains("fork");
  }

  @Test
  void checkpoint_olderThanWitnessed_answeredStaleNotEvidence() throws Exception {
    // given
    log.append(8);
    submit(8, 0);
    // when the device's own older checkpoint arrives late (another instance, a redelivery)
    ReceiptMessage r = submit(5, 0);
    // then the device is told the witnessed checkpoint, and nothing is held against it
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(((ReceiptMessage.Conflict) r).reason()).startsWith("stale");
    assertThat(((ReceiptMessage.Conflict) r).latest()).contains("\n8\n");
    for (String kind : List.of("conflict", "fork", "rollback", "stale")) {
      assertThat(ledger.device(topics).evidence(kind)).as(kind).isZero();
    }
    assertThat(ledger.counters()).containsEntry("checkpoint.stale", 1L);
  }

  @Test
  void checkpoint_olderThanWitnessedWithOtherRootThanBoundEntries_forkEvidence() throws Exception {
    // given 8 entries bound under a cosigned checkpoint
    log.append(8);
    for (int i = 0; i < 8; i++) {
      ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
    }
    submit(8, 0);
    assertThat(ledger.device(topics).stored()).isEqualTo(8);
    // when the same key signs a smaller tree with other entries (a rewritten history)
    SignedLog fork = forkOf(log, 2);
    fork.append(3);
    ReceiptMessage r =
        ledger.acceptCheckpoint(
            topics, new CheckpointMessage(sign(fork, 5), 0, List.of()).encode());
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(((ReceiptMessage.Conflict) r).reason()).startsWith("fork");
    assertThat(ledger.device(topics).evidence("fork")).isEqualTo(1);
  }

  @Test
  void checkpoint_wrongConsistencyFrom_conflictNamingWitnessedSize() throws Exception {
    // given
    log.append(8);
    submit(4, 0);
    // when
    ReceiptMessage r = submit(8, 0);
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(((ReceiptMessage.Conflict) r).reason())
        .startsWith("stale")
        .contains("consistency_from 0, want the witnessed size 4");
    assertThat(ledger.device(topics).evidence("stale")).isZero();
  }

  @Test
  void checkpoint_unsignedNote_rejectedWithReason() throws Exception {
    // given a note with its signature line removed
    log.append(3);
    String signed = sign(log, 3);
    String unsigned = signed.substring(0, signed.indexOf("\n\n") + 2);
    // when
    ReceiptMessage r =
        ledger.acceptCheckpoint(topics, new CheckpointMessage(unsigned, 0, List.of()).encode());
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Rejected.class);
    assertThat(((ReceiptMessage.Rejected) r).reason()).startsWith("checkpoint not accepted");
  }

  @Test
  void checkpoint_signedByOtherKey_rejected() throws Exception {
    // given
    log.append(3);
    SoftwareDeviceKey other = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    String note =
        new CheckpointSigner(other)
            .sign(new Checkpoint(Checkpoint.originFor(FLEET, DEVICE), 3, log.root(3)))
            .encode();
    // when
    ReceiptMessage r =
        ledger.acceptCheckpoint(topics, new CheckpointMessage(note, 0, List.of()).encode());
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Rejected.class);
  }

  @Test
  void checkpoint_malformedCbor_rejectedWithReason() throws Exception {
    // when
    ReceiptMessage r = ledger.acceptCheckpoint(topics, Bytes.fromHex("a1616101"));
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Rejected.class);
    assertThat(((ReceiptMessage.Rejected) r).reason()).startsWith("malformed checkpoint message");
  }

  @Test
  void checkpoint_rootDiffersFromBoundEntries_conflict() throws Exception {
    // given the ledger bound 4 entries of the real log
    log.append(4);
    for (int i = 0; i < 4; i++) {
      ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
    }
    submit(2, 0);
    assertThat(ledger.device(topics).stored()).isEqualTo(2);
    SignedLog fork = forkOf(log, 2);
    fork.append(2);
    // when a fork signs a consistent-looking checkpoint at 4 whose entries the ledger holds
    ReceiptMessage real = submit(4, 2);
    ReceiptMessage r =
        ledger.acceptCheckpoint(
            topics, new CheckpointMessage(sign(fork, 4), 4, List.of()).encode());
    // then
    assertThat(real).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(((ReceiptMessage.Conflict) r).reason()).startsWith("fork");
    assertThat(ledger.device(topics).stored()).isEqualTo(4);
  }

  @Test
  void checkpoint_forkWithUnboundCandidates_cosignedButNothingBound() throws Exception {
    // given candidates of the real log, and a fork the device key signed at the same size
    log.append(4);
    for (int i = 0; i < 4; i++) {
      ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
    }
    SignedLog fork = forkOf(log, 2);
    fork.append(2);
    // when
    ReceiptMessage r =
        ledger.acceptCheckpoint(
            topics, new CheckpointMessage(sign(fork, 4), 0, List.of()).encode());
    // then the witness cosigns what the key signed, but no candidate is bound against a root
    // they do not make; the real checkpoint at 4 is then a provable fork
    assertThat(r).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(((ReceiptMessage.Cosigned) r).entriesStored()).isEqualTo(4);
    assertThat(ledger.device(topics).stored()).isZero();
    assertThat(ledger.counters()).containsKey("bind.root_mismatch");
    ReceiptMessage real = submit(4, 0);
    assertThat(real).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(((ReceiptMessage.Conflict) real).reason()).startsWith("fork");
  }

  @Test
  void latestCheckpoint_survivesReopen() throws Exception {
    // given
    log.append(5);
    submit(5, 0);
    ledger.close();
    // when
    ledger = TestLedgers.sqlite(tmp.resolve("data"), ledger.registry(), Clock.systemUTC());
    ReceiptMessage r = submit(3, 0);
    // then
    assertThat(r).isInstanceOf(ReceiptMessage.Conflict.class);
    assertThat(ledger.device(topics).latest().orElseThrow().size()).isEqualTo(5);
  }

  /** A log with the same key and the first {@code keep} entries of {@code base}, then its own. */
  static SignedLog forkOf(SignedLog base, int keep) {
    SignedLog f = SignedLog.sameKey(base);
    for (int i = 0; i < keep; i++) {
      f.appendRaw(base.read(i));
    }
    return f;
  }

  /**
   * A resend of an entry the ledger verified already is not verified again ({@link
   * VerifiedEntries}), and nothing that differs from it by a bit gets through on that account.
   */
  @Nested
  class ResentEntries {
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
      ledger.acceptCheckpoint(topics, new CheckpointMessage(sign(log, 1), 0, List.of()).encode());
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

  /**
   * A resend of entries the ledger knows to be bound is answered from memory ({@link BoundLeaves}),
   * without a transaction; anything else goes to the database as before.
   */
  @Nested
  class ResentBoundEntries {
    /** Stopped, so that cached device keys never expire: only the offer may open a transaction. */
    private final Clock stopped = Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC);

    @BeforeEach
    void stoppedClock() throws Exception {
      ledger.close();
      ledger = TestLedgers.sqlite(tmp.resolve("data"), ledger.registry(), stopped);
    }

    /** The device's entries at {@code indexes}, in one batch. */
    private List<Ledger.Accepted> offer(int... indexes) throws Exception {
      List<Ledger.Received> r = new java.util.ArrayList<>();
      for (int i : indexes) {
        r.add(new Ledger.Received(Integer.toString(i), log.read(i)));
      }
      return ledger.acceptEntries(topics, r);
    }

    private List<DeviceLedger.Outcome> outcomes(List<Ledger.Accepted> a) {
      return a.stream().map(Ledger.Accepted::orThrow).toList();
    }

    private long transactions() {
      return ledger.store().db().transactions();
    }

    /** Entries 0 to n-1 held, then bound by the device's cosigned checkpoint. */
    private void bound(int n) throws Exception {
      log.append(n);
      for (int i = 0; i < n; i++) {
        ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
      }
      assertThat(submit(n, 0)).isInstanceOf(ReceiptMessage.Cosigned.class);
      assertThat(ledger.device(topics).stored()).isEqualTo(n);
    }

    @Test
    void entries_resentAfterCheckpointBoundThem_duplicateWithoutTransaction() throws Exception {
      // given
      bound(2);
      long before = transactions();
      // when
      List<Ledger.Accepted> again = offer(0, 1);
      // then
      assertThat(outcomes(again))
          .containsExactly(DeviceLedger.Outcome.DUPLICATE, DeviceLedger.Outcome.DUPLICATE);
      assertThat(transactions()).isEqualTo(before);
      assertThat(ledger.counters())
          .containsEntry("entry.duplicate", 2L)
          .containsEntry("entry.duplicate_known", 2L);
    }

    @Test
    void entries_resentAfterStoredInTheirOwnBatch_duplicateWithoutTransaction() throws Exception {
      // given a cosigned checkpoint before its entries: the batch itself is bound (STORED)
      log.append(3);
      submit(3, 0);
      assertThat(outcomes(offer(0, 1, 2))).containsOnly(DeviceLedger.Outcome.STORED);
      long before = transactions();
      // when
      List<Ledger.Accepted> again = offer(2, 0);
      // then
      assertThat(outcomes(again))
          .containsExactly(DeviceLedger.Outcome.DUPLICATE, DeviceLedger.Outcome.DUPLICATE);
      assertThat(transactions()).isEqualTo(before);
    }

    @Test
    void entries_resentWhileBuffered_duplicateFromTheDatabase() throws Exception {
      // given candidates no checkpoint has bound yet
      log.append(2);
      assertThat(outcomes(offer(0, 1))).containsOnly(DeviceLedger.Outcome.BUFFERED);
      long before = transactions();
      // when
      List<Ledger.Accepted> again = offer(0, 1);
      // then
      assertThat(outcomes(again)).containsOnly(DeviceLedger.Outcome.DUPLICATE);
      assertThat(transactions()).isGreaterThan(before);
      assertThat(ledger.counters()).doesNotContainKey("entry.duplicate_known");
    }

    @Test
    void entries_resentOnceBoundButForgotten_learnedFromTheDatabaseThenFromMemory()
        throws Exception {
      // given entries bound before this ledger started (or by another instance)
      bound(3);
      ledger.close();
      ledger = TestLedgers.sqlite(tmp.resolve("data"), ledger.registry(), stopped);
      long first = transactions();
      assertThat(outcomes(offer(1, 2))).containsOnly(DeviceLedger.Outcome.DUPLICATE);
      assertThat(transactions()).isGreaterThan(first);
      long second = transactions();
      // when
      List<Ledger.Accepted> again = offer(1, 2);
      // then
      assertThat(outcomes(again)).containsOnly(DeviceLedger.Outcome.DUPLICATE);
      assertThat(transactions()).isEqualTo(second);
      assertThat(ledger.counters()).containsEntry("entry.duplicate_known", 2L);
    }

    @Test
    void entry_differentAtBoundIndex_conflictKeptAsEvidence() throws Exception {
      // given 0 and 1 bound, and a fork the device key signed with another entry at 1
      bound(2);
      SignedLog fork = forkOf(log, 1);
      fork.append(1);
      long before = transactions();
      // when it comes with a resend of 0
      List<Ledger.Accepted> out =
          ledger.acceptEntries(
              topics,
              List.of(
                  new Ledger.Received("0", log.read(0)), new Ledger.Received("1", fork.read(1))));
      // then
      assertThat(outcomes(out))
          .containsExactly(DeviceLedger.Outcome.DUPLICATE, DeviceLedger.Outcome.CONFLICT);
      assertThat(transactions()).isGreaterThan(before);
      assertThat(ledger.device(topics).conflicts()).isEqualTo(1);
      assertThat(ledger.counters()).doesNotContainKey("entry.duplicate_known");
    }

    @Test
    void entry_resentAfterDeviceRevoked_refused() throws Exception {
      // given
      bound(2);
      ledger.registry().applyCrl(Bytes.wrap(pki.crl(1, deviceCert)));
      // when
      List<Ledger.Accepted> out = offer(0, 1);
      // then
      assertThat(out)
          .allSatisfy(
              a ->
                  assertThat(a.refused())
                      .hasValueSatisfying(r -> assertThat(r).contains("revoked")));
      assertThat(ledger.counters())
          .containsEntry("device.revoked", 2L)
          .doesNotContainKey("entry.duplicate");
    }

    @Test
    void entry_resentAfterAnotherInstanceRevokedDevice_refusedOnceATransactionSawIt()
        throws Exception {
      // given the device's row revoked by another instance, whose CRL this one has not seen yet
      bound(2);
      ledger
          .store()
          .db()
          .inTransaction(
              c -> {
                ledger.store().revokeDevice(c, FLEET, DEVICE, 0);
                return null;
              });
      assertThat(submit(2, 0)).isInstanceOf(ReceiptMessage.Rejected.class);
      // when
      List<Ledger.Accepted> out = offer(0, 1);
      // then
      assertThat(out)
          .allSatisfy(
              a ->
                  assertThat(a.refused())
                      .hasValueSatisfying(r -> assertThat(r).contains("revoked")));
      assertThat(ledger.counters()).containsEntry("device.revoked", 2L);
    }

    @Test
    void boundLeaves_afterManyBoundEntries_withinPerDeviceBound() throws Exception {
      // given more bound entries than a device's window holds (1,024 by default)
      bound(1_500);
      // when / then the latest are held, the oldest not, and no more than the window
      assertThat(ledger.boundLeaves().size()).isLessThanOrEqualTo(1_024);
      long before = transactions();
      offer(1_499);
      assertThat(transactions()).isEqualTo(before);
      offer(0);
      assertThat(transactions()).isGreaterThan(before);
    }
  }
}
