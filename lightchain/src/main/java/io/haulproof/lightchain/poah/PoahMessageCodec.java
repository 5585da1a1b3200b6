package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;

/**
 * Deterministic CBOR of {@link PoahMessage}s (docs/chain.md, "Messages"): a map with key 0 the type
 * (1 proposal, 2 authentication). Proposal: {@code {0: 1, 1: block (bstr, BlockCodec form)}}.
 * Authentication: {@code {0: 2, 1: height, 2: block hash (bstr 32), 3: kid (bstr 16), 4: signature
 * (bstr)}}. Decoding is strict and throws {@link CborException} on anything else, unknown keys
 * included.
 */
public final class PoahMessageCodec {
  private static final CborLimits LIMITS = new CborLimits(32 * 1024, 8);

  private PoahMessageCodec() {}

  public static Bytes encode(PoahMessage m) {
    if (m instanceof PoahMessage.Proposal p) {
      return Cbor.encode(CborMap.builder().put(0, 1).put(1, BlockCodec.encode(p.block())).build());
    }
    PoahMessage.Authentication a = (PoahMessage.Authentication) m;
    return Cbor.encode(
        CborMap.builder()
            .put(0, 2)
            .put(1, a.height())
            .put(2, a.blockHash().toBytes())
            .put(3, a.signature().kid().value())
            .put(4, a.signature().signature())
            .build());
  }

  public static PoahMessage decode(Bytes wire) {
    MapReader r = MapReader.of(Cbor.decode(wire, LIMITS), "poah message");
    int type = r.requireInt(0, 1, 2);
    PoahMessage m;
    try {
      if (type == 1) {
        m = new PoahMessage.Proposal(BlockCodec.decode(r.requireBytes(1)));
      } else {
        m =
            new PoahMessage.Authentication(
                r.requireLong(1, 0, Long.MAX_VALUE),
                Hash.wrap(r.requireBytes(2, Hash.SIZE).toByteArray()),
                new AuthenticatorSignature(
                    new Kid(r.requireBytes(3, Kid.SIZE)), r.requireBytes(4)));
      }
    } catch (IllegalArgumentException e) {
      throw new CborException("bad poah message: " + e.getMessage(), e);
    }
    r.end();
    return m;
  }
}
