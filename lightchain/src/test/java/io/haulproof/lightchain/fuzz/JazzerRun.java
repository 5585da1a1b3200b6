package io.haulproof.lightchain.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the Jazzer driver (libFuzzer, coverage-guided) in a child JVM over {@link
 * JazzerEntry}, with the caller's classpath; only {@code io.haulproof} classes are instrumented
 * (coverage and Jazzer's sanitizer hooks).
 *
 * @param registry the {@link FuzzRegistry} class name
 * @param target a target name, or {@code *} for all of them multiplexed
 * @param corpus the working corpus (libFuzzer adds new inputs here); further dirs are read only
 * @param findings where a crashing input is written ({@code crash-<sha1>})
 */
public record JazzerRun(
    String registry, String target, Path corpus, List<Path> seedDirs, Path findings) {

  /** What the run did. */
  public record Result(int exitCode, long runs, long seconds, long coverage, String output) {
    /** The crashing inputs written by this run. */
    public List<Path> findings(Path dir) throws IOException {
      try (var s = Files.list(dir)) {
        return s.filter(p -> p.getFileName().toString().startsWith("crash-")).sorted().toList();
      }
    }
  }

  private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
  private static final Pattern COV = Pattern.compile("cov: (\\d+)");

  /**
   * Runs the driver with {@code libFuzzerLimits} ({@code -runs=N}, {@code -max_total_time=S}),
   * waiting at most {@code timeoutSeconds}.
   */
  public Result run(List<String> libFuzzerLimits, long seed, long timeoutSeconds)
      throws IOException, InterruptedException {
    Files.createDirectories(corpus);
    Files.createDirectories(findings);
    Path log = findings.resolve("jazzer-" + (target.equals("*") ? "all" : target) + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("com.code_intelligence.jazzer.Jazzer");
    cmd.add("--target_class=" + JazzerEntry.class.getName());
    cmd.add("--target_args=" + registry + " " + target);
    cmd.add("--instrumentation_includes=io.haulproof.**");
    cmd.add("--custom_hook_includes=io.haulproof.**");
    cmd.addAll(libFuzzerLimits);
    cmd.add("-seed=" + seed);
    cmd.add("-max_len=8192");
    cmd.add("-rss_limit_mb=1536");
    cmd.add("-timeout=120");
    cmd.add("-print_final_stats=1");
    cmd.add("-artifact_prefix=" + findings + "/");
    cmd.add("--reproducer_path=" + findings);
    cmd.add(corpus.toString());
    seedDirs.stream().filter(Files::isDirectory).forEach(d -> cmd.add(d.toString()));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "Jazzer did not finish within " + timeoutSeconds + " s: " + tail(log));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    long runs = -1;
    long seconds = -1;
    Matcher m = DONE.matcher(out);
    while (m.find()) {
      runs = Long.parseLong(m.group(1));
      seconds = Long.parseLong(m.group(2));
    }
    long cov = -1;
    Matcher c = COV.matcher(out);
    while (c.find()) {
      cov = Long.parseLong(c.group(1));
    }
    return new Result(p.exitValue(), runs, seconds, cov, out);
  }

  /** The last lines of the driver's output, for failure messages. */
  public static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
