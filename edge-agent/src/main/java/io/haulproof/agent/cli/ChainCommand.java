package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.authenticator.audit.PoahAudit;
import io.haulproof.lightchain.ChainAudit;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.poah.SignedEntry;
import io.haulproof.lightchain.verify.CoveredGap;
import io.haulproof.lightchain.verify.VerificationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code haulproof chain verify|export|proof|checkpoint|lifts} over a data dir (contract:
 * DESIGN.md, "CLI").
 *
 * <p>{@code chain verify} adds to its last line {@code "min_quorum"} (the fewest valid, distinct,
 * trusted authenticator signatures on any final block; single-node blocks count their device's one)
 * and {@code "pending"} (sealed blocks not final yet), from {@link PoahAudit}, and {@code
 * "covered_gaps"} with {@code "gaps"}: the gaps that signed loss entries name (docs/chain.md, "Gaps
 * and loss entries"), each also as a {@code gap:} line on stderr.
 *
 * <p>Machine output is one JSON object per line on stdout; diagnostics and the progress bar (only
 * on a terminal) go to stderr. Exit 0 ok, 1 the chain is invalid or an entry could not be read, 2
 * usage or input error (no such data dir, index out of range).
 */
@Command(
    name = "chain",
    description =
        "Verify, export, prove, show checkpoints of and look up bins in a lightchain data dir.",
    mixinStandardHelpOptions = true,
    subcommands = {
      ChainCommand.Verify.class,
      ChainCommand.Export.class,
      ChainCommand.Proof.class,
      ChainCommand.Checkpoint.class,
      ChainLiftsCommand.class
    })
final class ChainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println(
        "haulproof chain: missing subcommand (verify, export, proof, checkpoint or lifts)");
    return Main.EXIT_USAGE;
  }

  /** Opens the data dir, or prints why not and returns empty. */
  static Optional<ChainReader> open(Path dataDir, String command) {
    if (!Files.isDirectory(dataDir)) {
      System.err.println("haulproof chain " + command + ": no such data dir " + dataDir);
      return Optional.empty();
    }
    try {
      return Optional.of(ChainReader.open(dataDir));
    } catch (NoSuchFileException e) {
      System.err.println("haulproof chain " + command + ": " + e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      System.err.println(
          "haulproof chain " + command + ": cannot open " + dataDir + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** {@code chain verify --data-dir DIR}. */
  @Command(
      name = "verify",
      description = "Check signatures, sequence rules, hash chain, PoAh quorums and roots.")
  static final class Verify implements Callable<Integer> {
    @Mixin DataDirOption dir;

    @Override
    public Integer call() throws IOException {
      if (!Files.isDirectory(dir.dataDir)) {
        System.err.println("haulproof chain verify: no such data dir " + dir.dataDir);
        return Main.EXIT_USAGE;
      }
      ChainAudit audit;
      try {
        audit = ChainAudit.open(dir.dataDir);
      } catch (NoSuchFileException e) {
        System.err.println("haulproof chain verify: " + e.getMessage());
        return Main.EXIT_USAGE;
      } catch (IOException e) {
        System.err.println(
            "haulproof chain verify: cannot open " + dir.dataDir + ": " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      try (ChainAudit reader = audit) {
        ProgressBar bar = ProgressBar.forConsole(reader.size());
        VerificationResult r;
        try {
          r = reader.verify(bar);
        } catch (NoSuchFileException e) {
          bar.done();
          return invalid("missing " + e.getFile());
        } catch (RuntimeException e) {
          bar.done();
          return invalid(String.valueOf(e.getMessage()));
        }
        bar.done();
        if (!r.valid()) {
          return invalid(r.reason().orElseThrow());
        }
        PoahAudit.Result poah;
        try {
          poah =
              PoahAudit.audit(
                  dir.dataDir, reader.blocks(), i -> reader.isLost(i) ? null : reader.read(i));
        } catch (IOException e) {
          return invalid("authentications: " + e.getMessage());
        }
        if (r.unblockedEntries() > 0) {
          System.err.println(
              "haulproof chain verify: " + r.unblockedEntries() + " entries not yet in a block");
        }
        for (CoveredGap g : r.coveredGaps()) {
          System.err.println("haulproof chain verify: gap: " + g.describe());
        }
        ObjectNode line =
            JsonLines.object()
                .put("valid", true)
                .put("entries", r.entries())
                .put("blocks", r.blocks())
                .put("tree_size", r.treeSize())
                .put("root", r.root().toHex())
                .put("min_quorum", poah.minQuorum())
                .put("pending", poah.pending())
                .put("covered_gaps", r.coveredGaps().size());
        ArrayNode gaps = line.putArray("gaps");
        for (CoveredGap g : r.coveredGaps()) {
          ObjectNode o = gaps.addObject().put("kind", g.kind().name().toLowerCase(Locale.ROOT));
          g.deviceId().ifPresent(d -> o.put("device", d));
          o.put("first", g.first()).put("last", g.last());
          g.lossEntries().forEach(o.putArray("loss_entries")::add);
        }
        JsonLines.print(line);
        return 0;
      }
    }
  }

  /** Reports an invalid chain: the reason on stderr and as the last JSON line; exit 1. */
  private static int invalid(String reason) {
    System.err.println("haulproof chain verify: INVALID: " + reason);
    JsonLines.print(JsonLines.object().put("valid", false).put("reason", reason));
    return Main.EXIT_CHECK_FAILED;
  }

  /** {@code chain export --data-dir DIR}. */
  @Command(name = "export", description = "Print every entry as {index, kind, seq, cose}.")
  static final class Export implements Callable<Integer> {
    @Mixin DataDirOption dir;

    @Override
    public Integer call() throws IOException {
      Optional<ChainReader> opened = open(dir.dataDir, "export");
      if (opened.isEmpty()) {
        return Main.EXIT_USAGE;
      }
      int bad = 0;
      try (ChainReader reader = opened.get()) {
        long size = reader.size();
        for (long i = 0; i < size; i++) {
          Bytes cose;
          try {
            cose = reader.read(i);
          } catch (IOException e) {
            System.err.println(
                "haulproof chain export: entry " + i + " unreadable: " + e.getMessage());
            bad++;
            continue;
          }
          try {
            SignedEntry e = SignedEntry.parse(i, cose);
            JsonLines.print(
                JsonLines.object()
                    .put("index", i)
                    .put("kind", e.entry().kind().name())
                    .put("seq", e.entry().header().seq())
                    .put("cose", cose.toHex()));
          } catch (SignedEntry.MalformedEntryException e) {
            System.err.println("haulproof chain export: " + e.getMessage());
            bad++;
          }
        }
      }
      return bad == 0 ? 0 : Main.EXIT_CHECK_FAILED;
    }
  }

  /** {@code chain proof --data-dir DIR --index I [--size N]}. */
  @Command(
      name = "proof",
      description = "Print the RFC 9162 audit path of entry I in the tree of N entries.")
  static final class Proof implements Callable<Integer> {
    @Mixin DataDirOption dir;

    @Option(names = "--index", required = true, description = "The entry's log index.")
    long index;

    @Option(names = "--size", description = "The tree size (default: the whole log).")
    Long size;

    @Override
    public Integer call() throws IOException {
      Optional<ChainReader> opened = open(dir.dataDir, "proof");
      if (opened.isEmpty()) {
        return Main.EXIT_USAGE;
      }
      try (ChainReader reader = opened.get()) {
        long n = size == null ? reader.size() : size;
        if (n < 0 || n > reader.size()) {
          System.err.println("haulproof chain proof: size " + n + " not in 0.." + reader.size());
          return Main.EXIT_USAGE;
        }
        if (index < 0 || index >= n) {
          System.err.println("haulproof chain proof: index " + index + " not below size " + n);
          return Main.EXIT_USAGE;
        }
        List<Hash> path = reader.tree().inclusionProof(index, n);
        ArrayNode arr = JsonLines.JSON.createArrayNode();
        path.forEach(h -> arr.add(h.toHex()));
        ObjectNode o =
            JsonLines.object()
                .put("index", index)
                .put("tree_size", n)
                .put("root", reader.tree().root(n).toHex());
        o.set("path", arr);
        JsonLines.print(o);
        return 0;
      }
    }
  }

  /** {@code chain checkpoint --data-dir DIR}. */
  @Command(
      name = "checkpoint",
      description = "Print the latest signed checkpoint (C2SP signed note).")
  static final class Checkpoint implements Callable<Integer> {
    @Mixin DataDirOption dir;

    @Override
    public Integer call() throws IOException {
      Path file = CheckpointStore.fileIn(dir.dataDir);
      if (!Files.exists(file)) {
        System.err.println(
            "haulproof chain checkpoint: no checkpoint in "
                + dir.dataDir
                + " (no block closed yet)");
        return Main.EXIT_USAGE;
      }
      PrintStream out = System.out;
      out.write(Files.readAllBytes(file));
      out.flush();
      return 0;
    }
  }

  /** A progress bar on stderr, drawn only when a console is attached; otherwise silent. */
  static final class ProgressBar implements LongConsumer {
    private final long total;
    private final boolean enabled;
    private int lastPercent = -1;

    private ProgressBar(long total, boolean enabled) {
      this.total = total;
      this.enabled = enabled;
    }

    static ProgressBar forConsole(long total) {
      return new ProgressBar(total, System.console() != null && total > 0);
    }

    @Override
    public void accept(long done) {
      if (!enabled) {
        return;
      }
      int percent = (int) (100 * done / total);
      if (percent == lastPercent) {
        return;
      }
      lastPercent = percent;
      int filled = percent * 40 / 100;
      System.err.print(
          "\rverifying ["
              + "#".repeat(filled)
              + " ".repeat(40 - filled)
              + "] "
              + percent
              + "% "
              + done
              + "/"
              + total);
      System.err.flush();
    }

    void done() {
      if (enabled && lastPercent >= 0) {
        System.err.println();
      }
    }
  }
}
