package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockHeader;
import java.io.IOException;
import java.util.Optional;

/**
 * Blocks tile the log without gap or overlap: {@code first_index} is the parent's first index plus
 * its count (0 for genesis), {@code count} is at least 1, {@code tree_size = first_index + count},
 * and the log holds that many entries.
 */
public final class RangeRule implements HeaderRule<LogTree> {
  @Override
  public RuleResult validate(Block block, Optional<Block> parent, LogTree context)
      throws IOException {
    BlockHeader h = block.header();
    long wantFirst = parent.map(p -> p.header().firstIndex() + p.header().count()).orElse(0L);
    if (h.firstIndex() != wantFirst) {
      return RuleResult.failed(
          "range", "wrong first_index " + h.firstIndex() + ", want " + wantFirst);
    }
    if (h.count() < 1) {
      return RuleResult.failed("range", "empty block: count " + h.count() + ", want >= 1");
    }
    if (h.treeSize() != h.firstIndex() + h.count()) {
      return RuleResult.failed(
          "range",
          "wrong tree_size "
              + h.treeSize()
              + ", want first_index + count = "
              + (h.firstIndex() + h.count()));
    }
    long logSize = context.logSize();
    if (h.treeSize() > logSize) {
      return RuleResult.failed(
          "range", "tree_size " + h.treeSize() + " beyond the log's size " + logSize);
    }
    return RuleResult.ok();
  }
}
