package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.testing.LazyFsMount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's ingest path under power cuts: {@code haulproof bench ingest --acked FILE} writes on a
 * LazyFS mount in its own JVM; once it acknowledged more, at a seeded random moment, it gets {@code
 * kill -9} and LazyFS drops every unsynced byte. The reopened log must hold every acknowledged seq,
 * with every entry's signature valid and no loss reported. The next cycle appends to the same data
 * dir (reopen, recovery, then new appends).
 */
class BenchIngestPowerCutIT {
  private static final int CYCLES = 3;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private LazyFsMount mount;
  private Process child;

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor();
    }
    if (mount != null) {
      mount.close();
    }
  }

  @Test
  void benchIngest_killedAndPowerCut_keepsEveryAcknowledgedSeqAndVerifies() throws Exception {
    // given bench ingest writing on a LazyFS mount
    mount = LazyFsMount.mount(tmp.resolve("lazyfs"), 256);
    Path data = mount.dir().resolve("agent");
    Path acked = Files.createFile(tmp.resolve("acked.txt"));
    Random r = new Random(20261204L);
    long checkedUpTo = 0;
    long maxAcked = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Path childLog = tmp.resolve("ingest-" + cycle + ".log");
      child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "bench",
                  "ingest",
                  "--data-dir",
                  data.toString(),
                  "--events",
                  "100000000",
                  "--threads",
                  "2",
                  "--sign-sample",
                  "200",
                  "--acked",
                  acked.toString())
              .redirectErrorStream(true)
              .redirectOutput(childLog.toFile())
              .start();
      // when it acknowledged more than before, then at a random moment it dies and the power fails
      long before = maxAcked;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (maxAcked(acked) <= before && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(child.isAlive())
          .as("ingest alive in cycle %d: %s", cycle, Files.readString(childLog))
          .isTrue();
      assertThat(maxAcked(acked)).as("cycle %d acknowledged more", cycle).isGreaterThan(before);
      Thread.sleep(r.nextInt(1500));
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      child = null;
      mount.cut();

      // then the log reopens with every acknowledged seq, valid signatures, and no loss
      maxAcked = maxAcked(acked);
      DeviceKey key = FileKeyStore.openOrCreate(data);
      try (EvidenceLog log = EvidenceLog.open(data, key, "bench-0001", LogOptions.defaults())) {
        assertThat(log.lossEntries()).as("cycle %d: a cut is not damage", cycle).isEmpty();
        assertThat(log.records().lossCount()).isZero();
        assertThat(log.lastCommittedSeq())
            .as("cycle %d: highest seq on disk vs highest acknowledged", cycle)
            .isGreaterThanOrEqualTo(maxAcked);
        assertThat(log.tree().size()).isEqualTo(log.size());
        for (long i = checkedUpTo; i < log.size(); i++) {
          log.entry(i).verify(key.publicKey());
        }
        checkedUpTo = log.size();
      }
    }
    System.out.printf(
        "bench ingest power cut: %d cycles, %d acknowledged seqs kept, %d entries verified%n",
        CYCLES, maxAcked, checkedUpTo);
  }

  private static long maxAcked(Path f) throws Exception {
    String s = Files.readString(f, StandardCharsets.US_ASCII);
    int end = s.lastIndexOf('\n');
    return end < 0
        ? 0
        : s.substring(0, end)
            .lines()
            .filter(l -> !l.isEmpty())
            .mapToLong(Long::parseLong)
            .max()
            .orElse(0);
  }
}
