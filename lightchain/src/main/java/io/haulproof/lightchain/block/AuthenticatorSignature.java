package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;

/**
 * An authenticator's countersignature on a block header.
 *
 * <p>{@code kid} only says which registered key to try; the author is the key whose verification
 * succeeds, never the field itself.
 */
public record AuthenticatorSignature(Kid kid, Bytes signature) {
  public AuthenticatorSignature {
    if (kid == null) {
      throw new IllegalArgumentException("missing kid");
    }
    if (signature == null || signature.isEmpty() || signature.length() > 512) {
      throw new IllegalArgumentException("signature size not in 1..512");
    }
  }
}
