package io.haulproof.agent.cli;

import io.haulproof.agent.lift.BinLifts;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.index.BinIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chain lifts --data-dir DIR --bin TAGHEX [--from ISO] [--to ISO]}: one bin's lifts from the
 * derived bin index (docs/chain.md, "Looking up a bin's lifts"), one JSON line per lift in log
 * order, then a summary line (with how often the index had to be rebuilt). Exit 0 (zero lifts for a
 * bin never lifted), 1 if the log cannot be read, 2 for a malformed tag or time, or no such data
 * dir.
 */
@Command(
    name = "lifts",
    description = "Print one bin's lifts (index, time, outcome, net weight, flags) from the log.")
final class ChainLiftsCommand implements Callable<Integer> {
  @Mixin DataDirOption dir;

  @Option(
      names = "--bin",
      required = true,
      paramLabel = "TAGHEX",
      description = "The bin's tag as read, in hex (1 to 64 bytes).")
  String bin;

  @Option(names = "--from", paramLabel = "ISO", description = "Only lifts at or after this time.")
  String from;

  @Option(names = "--to", paramLabel = "ISO", description = "Only lifts before this time.")
  String to;

  @Override
  public Integer call() throws IOException {
    Bytes tag;
    Instant start;
    Instant end;
    try {
      tag = BinLifts.parseTag(bin);
      start = BinLifts.parseTime("--from", from);
      end = BinLifts.parseTime("--to", to);
    } catch (IllegalArgumentException e) {
      System.err.println("haulproof chain lifts: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Optional<ChainReader> opened = ChainCommand.open(dir.dataDir, "lifts");
    if (opened.isEmpty()) {
      return Main.EXIT_USAGE;
    }
    try (ChainReader reader = opened.get()) {
      BinIndex index = reader.binIndex();
      List<BinIndex.Lift> lifts;
      try {
        lifts = BinLifts.within(index.lifts(tag), start, end);
      } catch (IOException e) {
        System.err.println("haulproof chain lifts: cannot read the log: " + e.getMessage());
        return Main.EXIT_CHECK_FAILED;
      }
      if (index.rebuilds() > 0) {
        System.err.println(
            "haulproof chain lifts: bin index rebuilt from the log: " + index.lastRebuildReason());
      }
      for (BinIndex.Lift l : lifts) {
        JsonLines.print(BinLifts.line(l));
      }
      Map<String, Object> summary = BinLifts.summary(tag, lifts.size(), start, end);
      summary.put("index_rebuilds", index.rebuilds());
      JsonLines.print(summary);
      return 0;
    }
  }
}
