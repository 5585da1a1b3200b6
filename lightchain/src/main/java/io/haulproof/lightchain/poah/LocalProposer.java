package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import java.util.List;
import java.util.Optional;

/** The proposer on this node: signs headers with the device key (the single-node gateway). */
public final class LocalProposer implements Proposer {
  private final DeviceKey key;

  public LocalProposer(DeviceKey key) {
    this.key = key;
  }

  @Override
  public Kid kid() {
    return key.kid();
  }

  @Override
  public Block propose(
      Optional<Block> parent, long firstIndex, long count, Hash treeRoot, long timeMillis) {
    BlockHeader header =
        new BlockHeader(
            parent.map(p -> p.header().height() + 1).orElse(0L),
            parent.map(Block::hash).orElse(BlockHeader.GENESIS_PREV),
            firstIndex,
            count,
            firstIndex + count,
            treeRoot,
            timeMillis,
            key.kid());
    Bytes headerBytes = BlockCodec.encodeHeader(header);
    Bytes sig = key.sign(BlockSigning.proposalMessage(headerBytes));
    return new Block(headerBytes, header, sig, List.of());
  }
}
