package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.bytes.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * What proposers and authenticators actually sign: a role label, a newline, then the exact header
 * bytes.
 *
 * <p>The labels separate block signatures from everything else the same key signs: COSE
 * Sig_structures start with the CBOR byte {@code 0x84}, checkpoint notes with {@code
 * haulproof.io/}, and these with {@code haulproof/v1/poah/}. A proposal signature can therefore
 * never be replayed as an authentication, an entry or a checkpoint.
 */
public final class BlockSigning {
  static final Bytes PROPOSAL = label("haulproof/v1/poah/proposal\n");
  static final Bytes AUTHENTICATION = label("haulproof/v1/poah/authentication\n");

  private BlockSigning() {}

  /** The bytes a proposer signs for a header. */
  public static Bytes proposalMessage(Bytes headerBytes) {
    return PROPOSAL.concat(headerBytes);
  }

  /** The bytes an authenticator signs for a header. */
  public static Bytes authenticationMessage(Bytes headerBytes) {
    return AUTHENTICATION.concat(headerBytes);
  }

  private static Bytes label(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
