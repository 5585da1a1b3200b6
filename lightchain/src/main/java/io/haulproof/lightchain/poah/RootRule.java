package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code tree_root} equals the RFC 9162 root the checker recomputes over the log at {@code
 * tree_size}.
 */
public final class RootRule implements HeaderRule<LogTree> {
  @Override
  public RuleResult validate(Block block, Optional<Block> parent, LogTree context)
      throws IOException {
    long size = block.header().treeSize();
    if (size > context.logSize()) {
      return RuleResult.failed(
          "root", "tree_size " + size + " beyond the log's size " + context.logSize());
    }
    Hash want = context.rootAt(size);
    Hash got = block.header().treeRoot();
    return got.equals(want)
        ? RuleResult.ok()
        : RuleResult.failed(
            "root", "wrong tree_root " + got + " at size " + size + ", want " + want);
  }
}
