package io.haulproof.authenticator.wire;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;
import java.util.List;

/**
 * Encodes and strictly decodes {@link PoahWire} messages (docs/chain.md, "Messages").
 *
 * <p>Proposal {@code {0: 1, 1: block (BlockCodec form, no authentications), 2: [entry], 3: [device
 * certificate DER]}}; authentication {@code {0: 2, 1: header bytes, 2: kid, 3: signature}};
 * rejection {@code {0: 3, 1: height, 2: block hash, 3: kid, 4: rule, 5: reason, 6: signature}};
 * need {@code {0: 4, 1: kid, 2: from height, 3: time (Unix ms), 4: signature}}. What the rejection
 * and need signatures cover: {@link ReplySigning}.
 */
public final class PoahCodec {
  /** Longest signature accepted on a rejection or need (ES256 raw r‖s is 64, Ed25519 64). */
  static final int MAX_SIGNATURE = 512;

  private PoahCodec() {}

  /** The wire bytes of {@code m}. */
  public static Bytes encode(PoahWire m) {
    CborMap map;
    if (m instanceof PoahWire.Proposal p) {
      Block bare =
          new Block(
              p.block().headerBytes(),
              p.block().header(),
              p.block().proposerSignature(),
              List.of());
      map =
          CborMap.builder()
              .put(0, 1)
              .put(1, BlockCodec.encode(bare))
              .put(2, bstrs(p.entries()))
              .put(3, bstrs(p.deviceCertificates()))
              .build();
    } else if (m instanceof PoahWire.Authentication a) {
      map =
          CborMap.builder()
              .put(0, 2)
              .put(1, a.headerBytes())
              .put(2, a.signature().kid().value())
              .put(3, a.signature().signature())
              .build();
    } else if (m instanceof PoahWire.Rejection r) {
      map =
          CborMap.builder()
              .put(0, 3)
              .put(1, r.height())
              .put(2, r.blockHash().toBytes())
              .put(3, r.authenticator().value())
              .put(4, r.rule())
              .put(5, r.reason())
              .put(6, r.signature())
              .build();
    } else {
      PoahWire.Need n = (PoahWire.Need) m;
      map =
          CborMap.builder()
              .put(0, 4)
              .put(1, n.authenticator().value())
              .put(2, n.fromHeight())
              .put(3, n.timeMillis())
              .put(4, n.signature())
              .build();
    }
    return Cbor.encode(map);
  }

  /**
   * Decodes one message strictly.
   *
   * @throws CborException if the bytes are not exactly one message
   */
  public static PoahWire decode(Bytes wire) {
    MapReader r = MapReader.of(Cbor.decode(wire, PoahWire.LIMITS), "poah message");
    int type = r.requireInt(0, 1, 4);
    PoahWire m;
    try {
      m =
          switch (type) {
            case 1 ->
                new PoahWire.Proposal(
                    BlockCodec.decode(r.requireBytes(1)),
                    r.requireList(2, PoahCodec::bytesOf),
                    r.requireList(3, PoahCodec::bytesOf));
            case 2 -> {
              Bytes header = r.requireBytes(1);
              BlockCodec.decodeHeader(header);
              yield new PoahWire.Authentication(
                  header,
                  new AuthenticatorSignature(
                      new Kid(r.requireBytes(2, Kid.SIZE)), r.requireBytes(3)));
            }
            case 3 ->
                new PoahWire.Rejection(
                    r.requireLong(1, 0, Long.MAX_VALUE),
                    Hash.wrap(r.requireBytes(2, Hash.SIZE).toByteArray()),
                    new Kid(r.requireBytes(3, Kid.SIZE)),
                    r.requireText(4),
                    r.requireText(5),
                    signature(r, 6));
            default ->
                new PoahWire.Need(
                    new Kid(r.requireBytes(1, Kid.SIZE)),
                    r.requireLong(2, 0, Long.MAX_VALUE),
                    r.requireLong(3, 0, Long.MAX_VALUE),
                    signature(r, 4));
          };
    } catch (IllegalArgumentException e) {
      throw new CborException("bad poah message: " + e.getMessage(), e);
    }
    r.end();
    return m;
  }

  /** A signature: a non-empty byte string of at most {@link #MAX_SIGNATURE} bytes. */
  private static Bytes signature(MapReader r, long key) {
    Bytes sig = r.requireBytes(key);
    if (sig.length() == 0 || sig.length() > MAX_SIGNATURE) {
      throw new CborException(
          "poah message: signature of " + sig.length() + " bytes, want 1.." + MAX_SIGNATURE);
    }
    return sig;
  }

  private static CborArray bstrs(List<Bytes> items) {
    return new CborArray(items.stream().map(b -> (CborValue) new CborBytes(b)).toList());
  }

  private static Bytes bytesOf(CborValue v) {
    if (v instanceof CborBytes b) {
      return b.value();
    }
    throw new CborException("poah message: want byte string, got " + v.typeName());
  }
}
