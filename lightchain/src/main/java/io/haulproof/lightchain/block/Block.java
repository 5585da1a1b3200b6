package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.util.List;

/**
 * A sealed block: the exact header bytes, the decoded header, the proposer's signature and the
 * authenticators' countersignatures, all over the same header bytes.
 *
 * <p>The block hash is SHA-256 over the header bytes as received; nothing is re-encoded before
 * hashing or verifying. Use {@link BlockCodec} to build one from a header or from stored bytes.
 */
public record Block(
    Bytes headerBytes,
    BlockHeader header,
    Bytes proposerSignature,
    List<AuthenticatorSignature> authentications) {
  public static final int MAX_AUTHENTICATIONS = 64;

  public Block {
    if (headerBytes == null
        || header == null
        || proposerSignature == null
        || proposerSignature.isEmpty()) {
      throw new IllegalArgumentException("missing block field");
    }
    if (!BlockCodec.encodeHeader(header).equals(headerBytes)) {
      throw new IllegalArgumentException(
          "header bytes are not the deterministic encoding of the header");
    }
    authentications = List.copyOf(authentications);
    if (authentications.size() > MAX_AUTHENTICATIONS) {
      throw new IllegalArgumentException(
          "too many authentications " + authentications.size() + ", max " + MAX_AUTHENTICATIONS);
    }
  }

  /** SHA-256 over the header bytes. */
  public Hash hash() {
    return Hash.sha256(headerBytes);
  }

  public Block withAuthentication(AuthenticatorSignature signature) {
    List<AuthenticatorSignature> all = new java.util.ArrayList<>(authentications);
    all.add(signature);
    return new Block(headerBytes, header, proposerSignature, all);
  }
}
