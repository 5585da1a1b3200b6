package io.haulproof.agent.cli;

import io.haulproof.agent.demo.DemoRunner;
import io.haulproof.agent.demo.PoahDemo;
import io.haulproof.authenticator.audit.PoahAudit;
import io.haulproof.lightchain.ChainReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof demo}: a simulated truck route end to end, verified (contract: DESIGN.md,
 * "CLI"). Progress goes to stderr; the last stdout line is the summary {@code
 * {"lifts":N,"entries":E,"blocks":B,"checkpoints":C, "witnessed":W,"verified":true}}.
 */
@Command(
    name = "demo",
    description =
        "Simulated truck route through the real drivers, assembler, log, blocks, checkpoints and uplink.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--lifts",
      defaultValue = "20",
      description = "Bins on the route (default ${DEFAULT-VALUE}).")
  int lifts;

  @Option(
      names = "--data-dir",
      defaultValue = "demo-data",
      description = "Data directory (default ./${DEFAULT-VALUE}); a rerun appends.")
  Path dataDir;

  @Option(
      names = "--broker",
      description = "MQTT broker URL (tcp://host:port); without it the witness runs in-process.")
  String broker;

  @Option(
      names = "--lift-interval-ms",
      defaultValue = "200",
      description = "Time per lift in ms, at least 50 (default ${DEFAULT-VALUE}).")
  long liftIntervalMs;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Route seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--authenticators",
      defaultValue = "0",
      description =
          "Run N PoAh authenticator nodes as separate processes over the broker (default: none,"
              + " single-node PoAh).")
  int authenticators;

  @Option(
      names = "--quorum",
      description = "Authentications a block needs with --authenticators (default: a majority).")
  Integer quorum;

  @Override
  public Integer call() throws Exception {
    DemoRunner.Options options;
    PoahDemo poah = null;
    try {
      options = new DemoRunner.Options(lifts, dataDir, broker, liftIntervalMs, seed);
      if (authenticators < 0 || (authenticators == 0 && quorum != null)) {
        throw new IllegalArgumentException("--quorum needs --authenticators N (N >= 1)");
      }
      if (authenticators > 0) {
        poah =
            new PoahDemo(
                dataDir,
                authenticators,
                quorum != null ? quorum : authenticators / 2 + 1,
                System.err);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("haulproof demo: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    if (poah != null) {
      try (PoahDemo p = poah) {
        String url = p.prepare(broker);
        DemoRunner.Summary s =
            new DemoRunner(System.err)
                .withChainHook(p)
                .run(new DemoRunner.Options(lifts, dataDir, url, liftIntervalMs, seed));
        return summary(s, p);
      }
    }
    DemoRunner.Summary s = new DemoRunner(System.err).run(options);
    return summary(s, null);
  }

  private int summary(DemoRunner.Summary s, PoahDemo poah) throws Exception {
    if (!s.verified()) {
      System.err.println("haulproof demo: verification FAILED: " + s.reason());
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("lifts", s.lifts());
    line.put("entries", s.entries());
    line.put("blocks", s.blocks());
    line.put("checkpoints", s.checkpoints());
    line.put("witnessed", s.witnessed());
    if (poah != null) {
      PoahAudit.Result a;
      try (ChainReader reader = ChainReader.open(dataDir)) {
        a =
            PoahAudit.audit(
                dataDir, reader.blocks(), i -> reader.isLost(i) ? null : reader.read(i));
      }
      line.put("authenticators", authenticators);
      line.put("quorum", quorum != null ? quorum : authenticators / 2 + 1);
      line.put("final", a.finalBlocks());
      line.put("pending", a.pending());
      line.put("min_quorum", a.minQuorum());
    }
    line.put("verified", s.verified());
    JsonLines.print(line);
    return s.verified() ? 0 : Main.EXIT_CHECK_FAILED;
  }
}
