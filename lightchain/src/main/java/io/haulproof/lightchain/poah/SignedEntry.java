package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.KeyBody;

/**
 * A log entry as read back: its index, the decoded COSE_Sign1 envelope and the decoded payload
 * (signature not yet checked), plus how a {@code key} entry changes the registered keys.
 */
public record SignedEntry(long index, CoseSign1 cose, Entry entry) {
  /** Thrown for bytes that are not a well-formed entry; the message names the index. */
  public static final class MalformedEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedEntryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Decodes entry {@code index} strictly; does not verify its signature. */
  public static SignedEntry parse(long index, Bytes bytes) throws MalformedEntryException {
    try {
      CoseSign1 cose = CoseSign1.decode(bytes);
      return new SignedEntry(index, cose, EntryCodec.decode(cose));
    } catch (CborException | VerificationException | IllegalArgumentException e) {
      throw new MalformedEntryException("entry " + index + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Applies a {@code key} entry to {@code keys}: enrollment and rotation register the new key,
   * revocation revokes the kid. Precondition: this entry's signature verified with a key active in
   * {@code keys}.
   */
  public void applyTo(EntryKeys keys) {
    if (entry.body() instanceof KeyBody k) {
      switch (k.action()) {
        case ENROLL, ROTATE -> keys.register(PublicKeys.fromSpki(k.publicKey()));
        case REVOKE -> keys.revoke(k.kid());
      }
    }
  }
}
