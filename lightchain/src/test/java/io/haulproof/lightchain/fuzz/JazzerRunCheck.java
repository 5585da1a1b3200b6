package io.haulproof.lightchain.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real coverage-guided fuzzing of a module's targets with the Jazzer driver in a child JVM (extend
 * it as {@code *FuzzIT}).
 *
 * <ul>
 *   <li>In the suite: one short run of all targets multiplexed ({@link JazzerEntry}), started from
 *       the committed corpus, for the corpus plus {@code fuzz.runsPerTarget} (default 50) mutated
 *       executions per target: a count, not a time, so that a loaded machine makes the run slower,
 *       never weaker or failing.
 *   <li>Long mode, {@code -Dfuzz.seconds=S} ({@code bench/fuzz.sh}): each target alone for {@code
 *       S} seconds with a working corpus under {@code target/fuzz-corpus/<target>}; executions,
 *       coverage and findings are appended to {@code target/fuzz-report.tsv}.
 * </ul>
 *
 * A finding fails the test; the crashing input is in {@code target/fuzz-findings/} (for a
 * multiplexed run, its first byte chose the target: drop it before committing the input to the
 * target's corpus).
 */
public abstract class JazzerRunCheck {
  @TempDir Path tmp;

  protected abstract FuzzRegistry registry();

  @Test
  void jazzer_everyTarget_fuzzedWithoutFinding() throws Exception {
    long seconds = Long.getLong("fuzz.seconds", 0);
    if (seconds > 0) {
      longRuns(seconds);
    } else {
      shortRun();
    }
  }

  private Path moduleTarget() {
    return FuzzCorpus.root(getClass()).getParent().getParent();
  }

  private void shortRun() throws Exception {
    List<FuzzTarget> targets = registry().targets();
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    Path root = FuzzCorpus.root(getClass());
    int corpusSize = 0;
    for (int i = 0; i < targets.size(); i++) {
      for (Path f : FuzzCorpus.files(root, targets.get(i).name())) {
        corpusSize++;
        byte[] in = Files.readAllBytes(f);
        byte[] muxed = new byte[in.length + 1];
        muxed[0] = (byte) i;
        System.arraycopy(in, 0, muxed, 1, in.length);
        Files.write(corpus.resolve(targets.get(i).name() + "-" + f.getFileName()), muxed);
      }
    }
    long runs = corpusSize + Long.getLong("fuzz.runsPerTarget", 50) * targets.size();
    Path findings = moduleTarget().resolve("fuzz-findings");
    JazzerRun run =
        new JazzerRun(registry().getClass().getName(), "*", corpus, List.of(), findings);
    long started = System.nanoTime();
    // -reload=0: by default libFuzzer re-reads its corpus directory every second and runs again
    // each file there newer than the directory's start epoch that is not in its in-memory corpus.
    // The seeds written just above share that second, and a seed that added no coverage is not in
    // the in-memory corpus, so a run that lasted over a second (under load) executed those seeds
    // twice: 454 executions instead of 448. With no other fuzzer sharing the directory, nothing
    // needs re-reading, and -runs=N is then exactly N executions.
    JazzerRun.Result r = run.run(List.of("-runs=" + runs, "-reload=0"), 1, 1800);
    long ms = (System.nanoTime() - started) / 1_000_000;
    String line =
        String.format(
            Locale.ROOT,
            "fuzz short run %s: %d targets, %d executions in %d ms (driver %d s), cov %d, exit %d",
            getClass().getSimpleName(),
            targets.size(),
            r.runs(),
            ms,
            r.seconds(),
            r.coverage(),
            r.exitCode());
    System.out.println(line);
    report(line);
    assertThat(r.exitCode()).as("Jazzer exit code; output:%n%s", tail(r)).isZero();
    assertThat(r.runs()).as("executions").isEqualTo(runs);
  }

  private void longRuns(long seconds) throws Exception {
    List<String> found = new ArrayList<>();
    List<String> timedOut = new ArrayList<>();
    Path root = FuzzCorpus.root(getClass());
    Path src = moduleTarget().getParent().resolve("src/test/resources/fuzz");
    List<String> only = List.of(System.getProperty("fuzz.only", "").split(","));
    for (FuzzTarget t : registry().targets()) {
      if (!only.equals(List.of("")) && !only.contains(t.name())) {
        continue; // bench/fuzz.sh --only A,B runs just those targets
      }
      Path findings = moduleTarget().resolve("fuzz-findings").resolve(t.name());
      JazzerRun run =
          new JazzerRun(
              registry().getClass().getName(),
              t.name(),
              moduleTarget().resolve("fuzz-corpus").resolve(t.name()),
              List.of(Files.isDirectory(src) ? src.resolve(t.name()) : root.resolve(t.name())),
              findings);
      JazzerRun.Result r;
      try {
        r =
            run.run(
                List.of("-max_total_time=" + seconds),
                System.nanoTime() & 0x7fffffff,
                seconds + 300);
      } catch (AssertionError e) { // this target's Jazzer outlived its guard: say so, go on
        String line = getClass().getSimpleName() + "\t" + t.name() + "\ttimeout\t" + e.getMessage();
        System.out.println(line);
        report(line.lines().findFirst().orElse(line));
        timedOut.add(t.name());
        continue;
      }
      List<Path> crashes = r.findings(findings);
      String line =
          String.format(
              Locale.ROOT,
              "%s\t%s\t%d s\t%d executions\tcov %d\texit %d\tfindings %s",
              getClass().getSimpleName(),
              t.name(),
              r.seconds(),
              r.runs(),
              r.coverage(),
              r.exitCode(),
              crashes);
      System.out.println(line);
      report(line);
      if (r.exitCode() != 0) {
        found.add(t.name() + " " + crashes + "\n" + tail(r));
      }
    }
    assertThat(found).as("findings").isEmpty();
    assertThat(timedOut).as("targets whose Jazzer outlived %d s + 300 s", seconds).isEmpty();
  }

  private void report(String line) throws IOException {
    Files.writeString(
        moduleTarget().resolve("fuzz-report.tsv"),
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static String tail(JazzerRun.Result r) {
    String[] lines = r.output().split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 80), lines.length));
  }
}
