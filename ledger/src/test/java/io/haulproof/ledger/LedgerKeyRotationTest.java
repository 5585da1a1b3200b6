package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger follows the device's key rotations and revocations recorded in its own log. */
class LedgerKeyRotationTest {
  static final String FLEET = "fleet-a";
  static final String DEVICE = "truck-1";

  @TempDir Path tmp;
  private final Topics topics = new Topics(FLEET, DEVICE);
  private final SoftwareDeviceKey oldKey = key(1);
  private final SoftwareDeviceKey newKey = key(2);
  private final List<Bytes> entries = new ArrayList<>();
  private DeviceRegistry registry;
  private Ledger ledger;

  private static SoftwareDeviceKey key(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return SoftwareDeviceKey.generate(CoseAlgorithm.ES256, r);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    registry.add(pki.deviceCertificate(DEVICE, oldKey.publicKey()));
    ledger = open();
  }

  private Ledger open() throws Exception {
    return TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    ledger.close();
  }

  private Bytes add(DeviceKey signer, EntryBody body) {
    long seq = entries.size() + 1L;
    EntryHeader s = SampleEntries.header(seq);
    EntryHeader h =
        new EntryHeader(DEVICE, 1, seq, s.wallTimeMillis(), TimeSource.GNSS, 50, s.uptimeMillis());
    Bytes cose = EntryCodec.sign(signer, new Entry(h, body)).encoded();
    entries.add(cose);
    return cose;
  }

  private KeyBody keyBody(KeyAction action, SoftwareDeviceKey k, Optional<Kid> previous) {
    return new KeyBody(
        action,
        k.kid(),
        Bytes.wrap(k.publicKey().getEncoded()),
        List.of(),
        previous,
        action == KeyAction.REVOKE ? Optional.of("switch failed") : Optional.empty());
  }

  private void send(long index) throws Exception {
    ledger.acceptEntry(topics, Long.toString(index), entries.get((int) index));
  }

  private ReceiptMessage checkpoint(DeviceKey signer, long size) throws Exception {
    MerkleTree tree = MerkleTree.inMemory();
    for (int i = 0; i < size; i++) {
      tree.append(Rfc9162.leafHash(entries.get(i)));
    }
    String note =
        new CheckpointSigner(signer)
            .sign(new Checkpoint(Checkpoint.originFor(FLEET, DEVICE), size, tree.root(size)))
            .encode();
    return ledger.acceptCheckpoint(topics, new CheckpointMessage(note, 0, List.of()).encode());
  }

  @Test
  void rotation_storedRotateEntry_newKeyEntriesAndCheckpointAccepted() throws Exception {
    // given: an entry, the ROTATE signed by the old key, then entries by the new key
    add(oldKey, SampleEntries.collection());
    add(oldKey, keyBody(KeyAction.ROTATE, newKey, Optional.of(oldKey.kid())));
    add(newKey, SampleEntries.collection());
    add(newKey, SampleEntries.collection());
    // when: entry 2 arrives ahead of the ROTATE, then the rest
    send(0);
    send(2);
    send(1);
    send(3);
    // then the checkpoint signed by the new key binds all four
    assertThat(ledger.device(topics).stored()).isZero();
    assertThat(checkpoint(newKey, 4)).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(ledger.device(topics).stored()).isEqualTo(4);
  }

  @Test
  void rotation_afterRestart_newKeyStillTrusted() throws Exception {
    // given
    add(oldKey, keyBody(KeyAction.ROTATE, newKey, Optional.of(oldKey.kid())));
    add(newKey, SampleEntries.collection());
    send(0);
    ledger.close();
    ledger = open();
    // when
    send(1);
    // then
    assertThat(checkpoint(newKey, 2)).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(ledger.device(topics).stored()).isEqualTo(2);
  }

  @Test
  void rotation_newKeyBeforeRotateEntry_rejected() throws Exception {
    // given: an entry signed by the new key where no ROTATE precedes it
    add(oldKey, SampleEntries.collection());
    add(newKey, SampleEntries.collection());
    send(0);
    checkpoint(oldKey, 1);
    // when / then
    assertThatThrownBy(() -> send(1))
        .isInstanceOf(Ledger.RejectedEntryException.class)
        .hasMessageContaining(newKey.kid().toHex());
    assertThat(ledger.device(topics).stored()).isEqualTo(1);
    assertThat(checkpoint(newKey, 1)).isInstanceOf(ReceiptMessage.Rejected.class);
  }

  @Test
  void rotation_rotateSignedByUntrustedKey_newKeyNotTrusted() throws Exception {
    // given: a ROTATE naming the new key, signed by the new key itself
    add(newKey, keyBody(KeyAction.ROTATE, newKey, Optional.of(oldKey.kid())));
    // when / then
    assertThatThrownBy(() -> send(0)).isInstanceOf(Ledger.RejectedEntryException.class);
    assertThat(ledger.device(topics).stored()).isZero();
  }

  @Test
  void revocation_failedSwitch_newKeyRejectedAfterRevocation() throws Exception {
    // given: ROTATE to the new key, one entry by it, then a REVOKE of it (failed switch)
    addFailedSwitch();
    send(0);
    send(1);
    send(2);
    assertThat(checkpoint(oldKey, 3)).isInstanceOf(ReceiptMessage.Cosigned.class);
    // when / then
    assertThatThrownBy(() -> send(3))
        .isInstanceOf(Ledger.RejectedEntryException.class)
        .hasMessageContaining("revoked");
    assertThat(ledger.device(topics).stored()).isEqualTo(3);
    assertThat(checkpoint(newKey, 3)).isInstanceOf(ReceiptMessage.Rejected.class);
    assertThat(checkpoint(oldKey, 3)).isInstanceOf(ReceiptMessage.Cosigned.class);
  }

  @Test
  void revocation_boundByLateEntryAfterCheckpoint_nextEntryByRevokedKeyRejected() throws Exception {
    // given: ROTATE to the new key and one entry by it (its key now cached as trusted), a
    // checkpoint over three entries cosigned before the third, the REVOKE, arrives and binds all
    addFailedSwitch();
    send(0);
    send(1);
    assertThat(checkpoint(oldKey, 3)).isInstanceOf(ReceiptMessage.Cosigned.class);
    assertThat(ledger.device(topics).stored()).isZero();
    send(2);
    assertThat(ledger.device(topics).stored()).isEqualTo(3);
    // when / then: the binding's revocation reaches the key cache
    assertThatThrownBy(() -> send(3))
        .isInstanceOf(Ledger.RejectedEntryException.class)
        .hasMessageContaining("revoked");
  }

  /** Entries 0–3: ROTATE to the new key, one entry by it, a REVOKE of it, one more entry by it. */
  private void addFailedSwitch() throws Exception {
    add(oldKey, keyBody(KeyAction.ROTATE, newKey, Optional.of(oldKey.kid())));
    add(newKey, SampleEntries.collection());
    add(oldKey, keyBody(KeyAction.REVOKE, newKey, Optional.empty()));
    add(newKey, SampleEntries.collection());
  }
}
