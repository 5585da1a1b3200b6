package io.haulproof.lightchain;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.block.RecordFile;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.poah.HeaderRule;
import io.haulproof.lightchain.poah.HeightRule;
import io.haulproof.lightchain.poah.PrevHashRule;
import io.haulproof.lightchain.poah.RuleResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Repairing the block file at open, never the evidence: damage is quarantined and stated, blocks
 * that no longer fit the log are cut off (after a copy to {@code quarantine/}) and stated; the
 * block builder then re-creates blocks from the log.
 */
final class BlockRepair {
  private BlockRepair() {}

  /** The {@code loss} statement for damage the block file's recovery found at open, if any. */
  static Optional<LossBody> damageStatement(RecordFile.Recovery r, Path dataDir)
      throws IOException {
    if (!r.damaged()) {
      return Optional.empty();
    }
    Path q = r.quarantined().orElseThrow();
    LossBody loss =
        new LossBody(
            LossReason.CORRUPT_RECORD,
            "blocks/blocks.dat",
            r.damageOffset(),
            Files.size(q),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.of(dataDir.relativize(q).toString()),
            Optional.of(
                "block file damaged; "
                    + r.records()
                    + " blocks kept, later blocks re-created from the log"));
    return Optional.of(loss);
  }

  /**
   * Recovery check (DESIGN.md, "Storage"): every kept block must fit the log (cover no more than it
   * holds, with the log's root at its size). Blocks at the end that do not (the log lost its tail,
   * or was restored from an older copy) are cut off after the file is copied to {@code
   * quarantine/}, and a signed {@code loss} entry says so; the builder then re-creates blocks from
   * the log, and a witness sees the divergence in the next checkpoint. The last kept block must
   * still link to its parent, or opening stops: that is tampering with the block file itself.
   *
   * @return the loss statement to log, if blocks were cut off
   */
  static Optional<LossBody> reconcile(BlockStore blocks, EvidenceLog log, Path dataDir)
      throws IOException {
    List<Block> all = blocks.blocks();
    int keep = all.size();
    String why = "";
    while (keep > 0) {
      Block b = all.get(keep - 1);
      long covered = b.header().treeSize();
      if (covered > log.size()) {
        why =
            "block "
                + (keep - 1)
                + " covers "
                + covered
                + " entries but the log holds "
                + log.size();
      } else {
        Hash root = log.tree().root(covered);
        if (root.equals(b.header().treeRoot())) {
          break;
        }
        why =
            "block "
                + (keep - 1)
                + " has root "
                + b.header().treeRoot()
                + " at size "
                + covered
                + " but the log's root there is "
                + root;
      }
      keep--;
    }
    if (keep > 0) {
      Block last = all.get(keep - 1);
      Optional<Block> parent = keep > 1 ? Optional.of(all.get(keep - 2)) : Optional.empty();
      for (HeaderRule<Object> rule :
          List.<HeaderRule<Object>>of(new HeightRule(), new PrevHashRule())) {
        RuleResult r = rule.validate(last, parent, null); // header-only rules read no log
        if (!r.passed()) {
          throw new IOException(
              "block " + (keep - 1) + " does not link to its parent: " + r.describe());
        }
      }
    }
    if (keep == all.size()) {
      return Optional.empty();
    }
    Path file = BlockStore.fileIn(dataDir);
    long before = Files.size(file);
    Path copy = blocks.cutBackTo(keep, "diverged");
    return Optional.of(
        new LossBody(
            LossReason.OTHER,
            "blocks/blocks.dat",
            Files.size(file),
            before,
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.of(dataDir.relativize(copy).toString()),
            Optional.of(
                (all.size() - keep)
                    + " blocks do not match the log and were cut off ("
                    + why
                    + "); blocks are re-created from the log")));
  }
}
