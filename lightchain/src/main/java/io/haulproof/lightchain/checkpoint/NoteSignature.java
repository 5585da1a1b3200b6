package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Base64;

/**
 * One signature line of a C2SP signed note: {@code — <name> base64(keyId ‖ signature)}.
 *
 * <p>The line says nothing about who signed until a verifier configured with the expected key
 * checks it (https://c2sp.org/signed-note, "Signatures").
 */
public record NoteSignature(String name, int keyId, Bytes signature) {
  public NoteSignature {
    SignedNote.checkKeyName(name);
    if (signature == null || signature.isEmpty()) {
      throw new NoteFormatException("empty signature for key " + name);
    }
  }

  /** The line without its final newline. */
  public String toLine() {
    byte[] raw = new byte[4 + signature.length()];
    raw[0] = (byte) (keyId >>> 24);
    raw[1] = (byte) (keyId >>> 16);
    raw[2] = (byte) (keyId >>> 8);
    raw[3] = (byte) keyId;
    byte[] sig = signature.toByteArray();
    System.arraycopy(sig, 0, raw, 4, sig.length);
    return SignedNote.SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(raw);
  }
}
