package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Hash;

/**
 * The messages of multi-node Proof-of-Authentication, carried on {@code
 * haulproof/v1/{fleet}/poah/{chain}/…} (see {@link PoahTopics}); encoded by {@link
 * PoahMessageCodec}.
 *
 * <p>Security guarantees: a message says nothing by itself; receivers derive the author of every
 * signature from the key that verifies it ({@link ProposerSignatureRule}, {@link QuorumRule}),
 * never from the transport or a field.
 */
public sealed interface PoahMessage permits PoahMessage.Proposal, PoahMessage.Authentication {
  /**
   * A proposer's signed block, before authentication (its authentications list is normally empty).
   */
  record Proposal(Block block) implements PoahMessage {
    public Proposal {
      if (block == null) {
        throw new IllegalArgumentException("missing block");
      }
    }
  }

  /**
   * An authenticator's countersignature on the block at {@code height} whose header hashes to
   * {@code blockHash}.
   */
  record Authentication(long height, Hash blockHash, AuthenticatorSignature signature)
      implements PoahMessage {
    public Authentication {
      if (height < 0 || blockHash == null || signature == null) {
        throw new IllegalArgumentException("bad authentication: height " + height);
      }
    }
  }
}
