package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import java.util.Optional;

/**
 * One block-header validation rule (one rule per class, after Hyperledger Besu's header
 * validation).
 *
 * <p>A rule never throws for a bad block: it returns {@link RuleResult#failed} with a reason naming
 * the expected and actual values. It may throw {@link java.io.IOException} only when it cannot read
 * the log it checks against.
 *
 * @param <C> the view of the log the rule reads: {@link LogTree}, {@link LogEntries}, or {@code
 *     Object} for a rule that reads only the headers (it ignores the context, which may be null); a
 *     checker runs a rule only if its context is that view, so nobody implements a view with
 *     methods it cannot answer
 */
public interface HeaderRule<C> {
  /**
   * @param block the candidate block
   * @param parent the block before it, empty for the genesis block
   * @param context the log the block describes
   */
  RuleResult validate(Block block, Optional<Block> parent, C context) throws java.io.IOException;
}
