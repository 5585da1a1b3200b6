package io.haulproof.agent.cli;

import io.haulproof.agent.demo.DemoRunner;
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

  @Override
  public Integer call() throws Exception {
    DemoRunner.Options options;
    try {
      options = new DemoRunner.Options(lifts, dataDir, broker, liftIntervalMs, seed);
    } catch (IllegalArgumentException e) {
      System.err.println("haulproof demo: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    DemoRunner.Summary s = new DemoRunner(System.err).run(options);
    if (!s.verified()) {
      System.err.println("haulproof demo: verification FAILED: " + s.reason());
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("lifts", s.lifts());
    line.put("entries", s.entries());
    line.put("blocks", s.blocks());
    line.put("checkpoints", s.checkpoints());
    line.put("witnessed", s.witnessed());
    line.put("verified", s.verified());
    JsonLines.print(line);
    return s.verified() ? 0 : Main.EXIT_CHECK_FAILED;
  }
}
