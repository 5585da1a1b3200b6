package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import java.util.Optional;

/** The height is 0 for the genesis block and the parent's height plus one after it. */
public final class HeightRule implements HeaderRule<Object> {
  @Override
  public RuleResult validate(Block block, Optional<Block> parent, Object context) {
    long want = parent.map(p -> p.header().height() + 1).orElse(0L);
    long got = block.header().height();
    return got == want
        ? RuleResult.ok()
        : RuleResult.failed("height", "wrong height " + got + ", want " + want);
  }
}
