package io.haulproof.lightchain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSignerTest {
  private static final String ORIGIN = Checkpoint.originFor("fleet-0001", "truck-000042");
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final DeviceKey other = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final Checkpoint cp = new Checkpoint(ORIGIN, 123_456_789L, Hash.sha256(new byte[] {7}));

  @Test
  void verify_ownSignature_returnsCheckpoint() {
    // given
    SignedNote note = new CheckpointSigner(key).sign(cp);
    // when
    Checkpoint back = new CheckpointVerifier(ORIGIN, key.publicKey()).verify(note.encode());
    // then
    assertThat(back).isEqualTo(cp);
    assertThat(note.signatures().get(0).signature().length()).isEqualTo(64);
  }

  @Test
  void encode_withWitnessCosignature_staysUnder400Bytes() {
    // given a long origin, a 20-digit-ish size, and one timestamped Ed25519 witness cosignature (8
    // + 64 bytes)
    SignedNote note =
        new CheckpointSigner(key)
            .sign(cp)
            .withSignature(
                new NoteSignature(
                    "witness.haulproof.io/v1/fleet-0001", 0x11223344, Bytes.of(new byte[72])));
    // then
    assertThat(note.encodeUtf8().length).isLessThan(400);
    assertThat(new CheckpointVerifier(ORIGIN, key.publicKey()).verify(note.encode())).isEqualTo(cp);
  }

  @Test
  void verify_otherKey_throwsNoSignature() {
    SignedNote note = new CheckpointSigner(key).sign(cp);
    assertThatThrownBy(() -> new CheckpointVerifier(ORIGIN, other.publicKey()).verify(note))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("no signature by");
  }

  @Test
  void verify_forgedSignatureUnderRightKeyId_throws() {
    // given a signature line with the right name and key ID, made by another key
    SignedNote good = new CheckpointSigner(key).sign(cp);
    NoteSignature real = good.signatures().get(0);
    Bytes forged = other.sign(Bytes.wrap(cp.toText().getBytes(StandardCharsets.UTF_8)));
    SignedNote note =
        new SignedNote(good.text(), List.of(new NoteSignature(real.name(), real.keyId(), forged)));
    // then
    assertThatThrownBy(() -> new CheckpointVerifier(ORIGIN, key.publicKey()).verify(note))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void verify_changedSizeOrRoot_throws() {
    SignedNote good = new CheckpointSigner(key).sign(cp);
    String tampered = good.encode().replace("\n123456789\n", "\n123456788\n");
    assertThat(tampered).isNotEqualTo(good.encode());
    assertThatThrownBy(() -> new CheckpointVerifier(ORIGIN, key.publicKey()).verify(tampered))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void verify_goodPlusBadLineFromSameKey_rejectsWholeNote() {
    SignedNote good = new CheckpointSigner(key).sign(cp);
    NoteSignature real = good.signatures().get(0);
    SignedNote note =
        good.withSignature(new NoteSignature(real.name(), real.keyId(), Bytes.of(new byte[64])));
    assertThatThrownBy(() -> new CheckpointVerifier(ORIGIN, key.publicKey()).verify(note))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void verify_wrongOrigin_throws() {
    SignedNote note = new CheckpointSigner(key).sign(cp);
    assertThatThrownBy(
            () ->
                new CheckpointVerifier("haulproof.io/v1/fleet-0001/other", key.publicKey())
                    .verify(note))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void store_saveThenLoad_returnsSameNote(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir);
    assertThat(store.load()).isEmpty();
    SignedNote note = new CheckpointSigner(key).sign(cp);
    store.save(note);
    store.save(note);
    assertThat(store.load()).contains(note);
    assertThat(store.loadText()).contains(note.encode());
  }
}
