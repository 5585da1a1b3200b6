package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;

/**
 * Verifies a signed checkpoint against one known device key and origin.
 *
 * <p>Security guarantees (c2sp.org/signed-note, "Signatures"): lines from unknown keys (other names
 * or key IDs, such as witness cosignatures) are ignored; every line that matches the known key's
 * name and ID must verify, or the whole note is rejected; at least one must match. The checkpoint's
 * origin must equal the expected origin. {@link #verify} returns the checkpoint only when all of
 * that holds, and throws {@link VerificationException} otherwise.
 */
public final class CheckpointVerifier {
  private final String origin;
  private final SignatureVerifier verifier;
  private final int keyId;

  public CheckpointVerifier(String origin, PublicKey key) {
    this(origin, SignatureVerifier.of(key));
  }

  /**
   * With a verifier already made for the key (a verifier kept per key is faster than a new one).
   */
  public CheckpointVerifier(String origin, SignatureVerifier verifier) {
    this.origin = origin;
    this.verifier = verifier;
    this.keyId = NoteKeys.keyId(origin, verifier.kid());
  }

  /** Parses and verifies the wire form. */
  public Checkpoint verify(String wire) {
    SignedNote note;
    try {
      note = SignedNote.parse(wire);
    } catch (NoteFormatException e) {
      throw new VerificationException("malformed checkpoint note: " + e.getMessage(), e);
    }
    return verify(note);
  }

  public Checkpoint verify(SignedNote note) {
    List<NoteSignature> mine = note.signaturesBy(origin, keyId);
    if (mine.isEmpty()) {
      throw new VerificationException(
          "no signature by "
              + origin
              + " with key ID "
              + String.format("%08x", keyId)
              + " among "
              + note.signatures().size());
    }
    Bytes text = Bytes.wrap(note.text().getBytes(StandardCharsets.UTF_8));
    for (NoteSignature s : mine) {
      verifier.verify(text, s.signature());
    }
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(note.text());
    } catch (NoteFormatException e) {
      throw new VerificationException("malformed checkpoint text: " + e.getMessage(), e);
    }
    if (!cp.origin().equals(origin)) {
      throw new VerificationException("wrong origin " + cp.origin() + ", want " + origin);
    }
    return cp;
  }
}
