package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Hash;
import java.util.Optional;

/**
 * {@code prev_block_hash} is SHA-256 of the parent's header bytes, or 32 zero bytes for the genesis
 * block.
 */
public final class PrevHashRule implements HeaderRule<Object> {
  @Override
  public RuleResult validate(Block block, Optional<Block> parent, Object context) {
    Hash want = parent.map(Block::hash).orElse(BlockHeader.GENESIS_PREV);
    Hash got = block.header().prevBlockHash();
    return got.equals(want)
        ? RuleResult.ok()
        : RuleResult.failed("prev_hash", "wrong prev_block_hash " + got + ", want " + want);
  }
}
