package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.entry.EntryHeader;
import java.io.IOException;
import java.util.Optional;

/**
 * Within the block, continuing from the positions before it, each device's seq starts at 1 and
 * increases by exactly 1, and its boot epoch never decreases ({@link SequenceTracker}).
 */
public final class SequenceRule implements HeaderRule<LogEntries> {
  @Override
  public RuleResult validate(Block block, Optional<Block> parent, LogEntries context)
      throws IOException {
    SequenceTracker seq = context.sequences().copy();
    long first = block.header().firstIndex();
    long end = first + block.header().count();
    if (end > context.logSize()) {
      return RuleResult.failed(
          "sequence", "block ends at " + end + ", beyond the log's " + context.logSize());
    }
    for (long i = first; i < end; i++) {
      SignedEntry e;
      try {
        e = SignedEntry.parse(i, context.entry(i));
      } catch (SignedEntry.MalformedEntryException ex) {
        return RuleResult.failed("sequence", ex.getMessage());
      }
      EntryHeader h = e.entry().header();
      RuleResult r = seq.accept(i, h.deviceId(), h.bootEpoch(), h.seq());
      if (!r.passed()) {
        return r;
      }
    }
    return RuleResult.ok();
  }
}
