package io.haulproof.agent.cli;

import io.haulproof.authenticator.node.ChainState;
import io.haulproof.authenticator.node.CompactRange;
import io.haulproof.authenticator.node.Outcome;
import io.haulproof.authenticator.node.ProposalChecker;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.poah.LocalProposer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof bench poah-check}: how many entries one authenticator can check per second on
 * one thread (every rule, every entry signature, the root from the compact range), without
 * transport or storage.
 */
@Command(
    name = "poah-check",
    description = "Entries per second one authenticator checks (one thread, no transport).")
final class BenchPoahCheckCommand implements Callable<Integer> {
  @Option(names = "--entries", defaultValue = "100000", description = "entries (default 100000)")
  int entries;

  @Option(
      names = "--entries-per-block",
      defaultValue = "256",
      description = "entries per block (default 256)")
  int perBlock;

  @Override
  public Integer call() throws Exception {
    if (entries < perBlock || perBlock < 1) {
      System.err.println("haulproof bench poah-check: need --entries >= --entries-per-block >= 1");
      return Main.EXIT_USAGE;
    }
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    List<PoahWire.Proposal> proposals = new ArrayList<>();
    CompactRange range = CompactRange.empty();
    Optional<Block> parent = Optional.empty();
    long seq = 0;
    long now = System.currentTimeMillis() - 3_600_000;
    for (int b = 0; b < entries / perBlock; b++) {
      List<Bytes> mine = new ArrayList<>(perBlock);
      for (int i = 0; i < perBlock; i++) {
        seq++;
        mine.add(
            EntryCodec.sign(
                    key,
                    new Entry(
                        new EntryHeader("bench-truck", 1, seq, now, TimeSource.GNSS, 20, seq),
                        BenchCommand.syntheticCollection(seq)))
                .encoded());
      }
      long first = range.size();
      range = range.append(mine);
      Block block = new LocalProposer(key).propose(parent, first, perBlock, range.root(), now + b);
      parent = Optional.of(block);
      proposals.add(new PoahWire.Proposal(block, mine, List.of()));
    }
    ProposalChecker checker = new ProposalChecker(null);
    ChainState genesis = ChainState.genesis("bench-truck", PublicKeys.spki(key.publicKey()));
    run(checker, genesis, proposals); // warm-up
    double raw = rawVerifyRate(key, proposals);
    long t0 = System.nanoTime();
    run(checker, genesis, proposals);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double rawAfter = rawVerifyRate(key, proposals);
    long n = (long) proposals.size() * perBlock;
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("entries", n);
    line.put("entries_per_block", perBlock);
    line.put("seconds", Math.round(seconds * 1000) / 1000.0);
    line.put("entries_per_s", Math.round(n / seconds));
    line.put("blocks_per_s", Math.round(proposals.size() / seconds * 10) / 10.0);
    double rawBest = Math.max(raw, rawAfter);
    line.put("raw_verify_per_s", Math.round(rawBest));
    line.put("ratio_to_raw_verify", Math.round(n / seconds / rawBest * 1000) / 1000.0);
    JsonLines.print(line);
    return 0;
  }

  /** ES256 verifications per second of the same entries' COSE signatures, one thread. */
  private static double rawVerifyRate(SoftwareDeviceKey key, List<PoahWire.Proposal> proposals) {
    io.haulproof.lightchain.crypto.SignatureVerifier v =
        io.haulproof.lightchain.crypto.SignatureVerifier.of(key.publicKey());
    List<io.haulproof.lightchain.cose.CoseSign1> coses = new ArrayList<>();
    for (PoahWire.Proposal p : proposals.subList(0, Math.min(8, proposals.size()))) {
      p.entries().forEach(e -> coses.add(io.haulproof.lightchain.cose.CoseSign1.decode(e)));
    }
    long t0 = System.nanoTime();
    for (io.haulproof.lightchain.cose.CoseSign1 c : coses) {
      c.verify(v);
    }
    return coses.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static void run(
      ProposalChecker checker, ChainState genesis, List<PoahWire.Proposal> proposals)
      throws Exception {
    ChainState s = genesis;
    for (PoahWire.Proposal p : proposals) {
      Outcome o =
          checker.check("bench-truck", Optional.of(s), p, Optional.empty(), Long.MAX_VALUE / 2);
      if (!(o instanceof Outcome.Accept a)) {
        throw new IllegalStateException("benchmark block refused: " + o);
      }
      s = a.next();
    }
  }
}
