package io.haulproof.authenticator.wire;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.crypto.Kid;
import java.util.List;

/**
 * The messages of multi-node Proof-of-Authentication on {@code haulproof/v1/{fleet}/poah/{chain}/…}
 * (docs/chain.md, "Proof-of-Authentication across parties"), as deterministic CBOR maps whose key 0
 * is the type. Decoding is strict: unknown keys, wrong types or sizes throw {@link CborException}.
 *
 * <p>Security guarantees: no field is believed by itself. Receivers derive each signature's author
 * from the key that verifies it; an authentication carries the exact header bytes it signs, so the
 * truck can attribute a signature on a header that is not its block to the node that made it.
 * Rejections and needs are signed by their node too ({@link ReplySigning}), bound to fleet and
 * chain, so whoever can publish on the broker cannot speak for a node.
 */
public sealed interface PoahWire
    permits PoahWire.Proposal, PoahWire.Authentication, PoahWire.Rejection, PoahWire.Need {
  /** Upper bound of one message: a block of 256 entries of up to 1 KiB each fits easily. */
  CborLimits LIMITS = new CborLimits(1024 * 1024, 6);

  /**
   * The proposer's signed block with the exact bytes of the entries it covers, in order, and (for a
   * node that does not know the chain yet) the device certificate chain of the genesis key.
   */
  record Proposal(Block block, List<Bytes> entries, List<Bytes> deviceCertificates)
      implements PoahWire {
    public Proposal {
      entries = List.copyOf(entries);
      deviceCertificates = List.copyOf(deviceCertificates);
      if (entries.size() != block.header().count()) {
        throw new IllegalArgumentException(
            "proposal carries "
                + entries.size()
                + " entries, header says "
                + block.header().count());
      }
    }
  }

  /** An authenticator's signature over the exact header bytes. */
  record Authentication(Bytes headerBytes, AuthenticatorSignature signature) implements PoahWire {
    public long height() {
      return BlockCodec.decodeHeader(headerBytes).height();
    }

    public Hash blockHash() {
      return Hash.sha256(headerBytes);
    }
  }

  /**
   * An authenticator refused the block at {@code height} with hash {@code blockHash}, and why;
   * signed by that node over {@link ReplySigning#rejectionMessage} (fleet, chain and every field).
   */
  record Rejection(
      long height, Hash blockHash, Kid authenticator, String rule, String reason, Bytes signature)
      implements PoahWire {}

  /**
   * An authenticator needs the chain's blocks from {@code fromHeight} on; made at {@code
   * timeMillis} (Unix ms, the node's clock) and signed by that node over {@link
   * ReplySigning#needMessage} (fleet, chain and every field).
   */
  record Need(Kid authenticator, long fromHeight, long timeMillis, Bytes signature)
      implements PoahWire {}
}
