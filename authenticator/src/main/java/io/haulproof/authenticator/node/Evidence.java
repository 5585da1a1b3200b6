package io.haulproof.authenticator.node;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;

/**
 * The evidence entry of an equivocation: a COSE_Sign1, signed by the authenticator that caught it,
 * over {@code {1: "equivocation", 2: chain, 3: height, 4: first block, 5: second block}} (blocks in
 * {@link BlockCodec} form, each with the proposer's signature over its header). Anyone can check it
 * with the proposer's key alone: two different headers, one height, both signed.
 */
public final class Evidence {
  private Evidence() {}

  public static Bytes sign(DeviceKey key, String chain, Block first, Block second) {
    Bytes payload =
        Cbor.encode(
            CborMap.builder()
                .put(1, "equivocation")
                .put(2, chain)
                .put(3, second.header().height())
                .put(4, BlockCodec.encode(first))
                .put(5, BlockCodec.encode(second))
                .build());
    return CoseSign1.sign(key, payload).encoded();
  }

  /** The two blocks of an evidence entry (its signature is not checked here). */
  public static Block[] blocks(Bytes evidence) {
    MapReader r = MapReader.of(Cbor.decode(CoseSign1.decode(evidence).payload()), "evidence");
    r.requireText(1);
    r.requireText(2);
    r.requireLong(3, 0, Long.MAX_VALUE);
    Block a = BlockCodec.decode(r.requireBytes(4));
    Block b = BlockCodec.decode(r.requireBytes(5));
    r.end();
    return new Block[] {a, b};
  }
}
