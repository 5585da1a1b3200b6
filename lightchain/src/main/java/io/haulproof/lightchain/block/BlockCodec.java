package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic CBOR (RFC 8949 §4.2.1) forms of block headers and blocks (docs/chain.md, "Block
 * header").
 *
 * <p>Header: a map {@code {1: height, 2: prev_block_hash (bstr 32), 3: first_index, 4: count, 5:
 * tree_size, 6: tree_root (bstr 32), 7: time (Unix ms), 8: proposer_kid (bstr 16)}}. Block: an
 * array {@code [header bytes (bstr), proposer signature (bstr), [[kid (bstr 16), signature (bstr)],
 * …]]}. Decoding is strict: the header bytes must be exactly the deterministic encoding of the
 * header they decode to, so a header has one spelling and one hash.
 */
public final class BlockCodec {
  static final CborLimits LIMITS = new CborLimits(16 * 1024, 6);

  private BlockCodec() {}

  public static Bytes encodeHeader(BlockHeader h) {
    return Cbor.encode(
        CborMap.builder()
            .put(1, h.height())
            .put(2, h.prevBlockHash().toBytes())
            .put(3, h.firstIndex())
            .put(4, h.count())
            .put(5, h.treeSize())
            .put(6, h.treeRoot().toBytes())
            .put(7, h.time())
            .put(8, h.proposerKid().value())
            .build());
  }

  /**
   * Decodes header bytes strictly.
   *
   * @throws CborException if the bytes are not exactly a deterministic header map
   */
  public static BlockHeader decodeHeader(Bytes bytes) {
    MapReader r = MapReader.of(Cbor.decode(bytes, LIMITS), "block header");
    BlockHeader h;
    try {
      h =
          new BlockHeader(
              r.requireLong(1, 0, Long.MAX_VALUE),
              Hash.wrap(r.requireBytes(2, Hash.SIZE).toByteArray()),
              r.requireLong(3, 0, Long.MAX_VALUE),
              r.requireLong(4, 0, Long.MAX_VALUE),
              r.requireLong(5, 0, Long.MAX_VALUE),
              Hash.wrap(r.requireBytes(6, Hash.SIZE).toByteArray()),
              r.requireLong(7, 0, Long.MAX_VALUE),
              new Kid(r.requireBytes(8, Kid.SIZE)));
    } catch (IllegalArgumentException e) {
      throw new CborException("bad block header: " + e.getMessage(), e);
    }
    r.end();
    return h;
  }

  public static Bytes encode(Block b) {
    List<CborValue> auths = new ArrayList<>(b.authentications().size());
    for (AuthenticatorSignature a : b.authentications()) {
      auths.add(CborArray.of(new CborBytes(a.kid().value()), new CborBytes(a.signature())));
    }
    return Cbor.encode(
        CborArray.of(
            new CborBytes(b.headerBytes()),
            new CborBytes(b.proposerSignature()),
            new CborArray(auths)));
  }

  /**
   * Decodes a stored or received block strictly.
   *
   * @throws CborException if the bytes are not exactly a deterministic block
   */
  public static Block decode(Bytes bytes) {
    CborValue v = Cbor.decode(bytes, LIMITS);
    CborArray a = array(v, 3, "block");
    Bytes headerBytes = bytes(a.get(0), "block header bytes");
    BlockHeader header = decodeHeader(headerBytes);
    Bytes proposerSig = bytes(a.get(1), "proposer signature");
    CborValue authsValue = a.get(2);
    if (!(authsValue instanceof CborArray auths)) {
      throw new CborException("block authentications: want array, got " + authsValue.typeName());
    }
    List<AuthenticatorSignature> sigs = new ArrayList<>(auths.size());
    for (CborValue item : auths.items()) {
      CborArray pair = array(item, 2, "authentication");
      Bytes kid = bytes(pair.get(0), "authenticator kid");
      if (kid.length() != Kid.SIZE) {
        throw new CborException(
            "wrong authenticator kid size " + kid.length() + ", want " + Kid.SIZE);
      }
      try {
        sigs.add(
            new AuthenticatorSignature(
                new Kid(kid), bytes(pair.get(1), "authenticator signature")));
      } catch (IllegalArgumentException e) {
        throw new CborException("bad authentication: " + e.getMessage(), e);
      }
    }
    try {
      return new Block(headerBytes, header, proposerSig, sigs);
    } catch (IllegalArgumentException e) {
      throw new CborException("bad block: " + e.getMessage(), e);
    }
  }

  /** A block over {@code header} with its deterministic bytes. */
  public static Block unsigned(BlockHeader header, Bytes proposerSignature) {
    return new Block(encodeHeader(header), header, proposerSignature, List.of());
  }

  private static CborArray array(CborValue v, int size, String what) {
    if (!(v instanceof CborArray a) || a.size() != size) {
      throw new CborException(
          what
              + ": want array of "
              + size
              + ", got "
              + v.typeName()
              + (v instanceof CborArray x ? " of " + x.size() : ""));
    }
    return a;
  }

  private static Bytes bytes(CborValue v, String what) {
    if (!(v instanceof CborBytes b)) {
      throw new CborException(what + ": want byte string, got " + v.typeName());
    }
    return b.value();
  }
}
