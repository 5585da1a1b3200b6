package io.haulproof.lightchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.testing.LazyFsMount;
import io.haulproof.lightchain.verify.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-cut torture test on LazyFS: a child JVM ({@link PowerCutWriter}) writes a lightchain
 * (key creation, entries, segment roll-overs, blocks, checkpoints, tree heads) on a LazyFS mount;
 * at seeded random points it gets {@code kill -9} and LazyFS drops every unsynced byte. The
 * reopened chain must verify, hold every acknowledged seq, and never report a cut as damage.
 *
 * <p>Short mode: 20 cycles. Long mode: {@code -Dhaulproof.powercut.cycles=500} (see
 * bench/power-cut.sh). Every {@value #CYCLES_PER_TRUCK} cycles a fresh data dir starts, so cuts
 * also land during key creation and first open.
 */
class LightchainPowerCutIT {
  private static final int CYCLES = Integer.getInteger("haulproof.powercut.cycles", 20);
  private static final long SEED = Long.getLong("haulproof.powercut.seed", 20261204L);
  private static final int CYCLES_PER_TRUCK = 10;
  private static final int PROGRESS_EVERY = 25;

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
  void powerCut_atRandomPoints_keepsEveryAcknowledgedSeqAndVerifies() throws Exception {
    // given a LazyFS mount
    mount = LazyFsMount.mount(tmp.resolve("lazyfs"), 256);
    Random r = new Random(SEED);
    Path data = null;
    Path acked = null;
    long ackedBefore = 0;
    long ackChecks = 0;
    int cutsAfterAck = 0;
    List<Long> recoveryMillis = new ArrayList<>();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      if (cycle % CYCLES_PER_TRUCK == 0) {
        data = mount.dir().resolve("truck-" + cycle);
        acked = Files.createFile(tmp.resolve("acked-" + cycle + ".txt"));
        ackedBefore = 0;
      }
      // when the writer is killed and the power cut, early (key creation, open, recovery) or after
      // it acknowledged something new
      Path childLog = tmp.resolve("child-" + cycle + ".log");
      child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  PowerCutWriter.class.getName(),
                  data.toString(),
                  acked.toString())
              .redirectErrorStream(true)
              .redirectOutput(childLog.toFile())
              .start();
      if (r.nextInt(5) == 0) {
        Thread.sleep(r.nextInt(2500));
      } else {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (lines(acked).size() <= ackedBefore
            && child.isAlive()
            && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(child.isAlive())
            .as("writer alive in cycle %d: %s", cycle, Files.readString(childLog))
            .isTrue();
        Thread.sleep(r.nextInt(500));
        cutsAfterAck++;
      }
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      child = null;
      mount.cut();

      // then the reopened chain verifies and holds every acknowledged seq
      List<String> ackLines = lines(acked);
      ackedBefore = ackLines.size();
      long maxAcked = ackLines.stream().mapToLong(Long::parseLong).max().orElse(0);
      if (!Files.exists(FileKeyStore.keysDir(data).resolve(FileKeyStore.PUBLIC_FILE))) {
        assertThat(maxAcked).as("cycle %d: acked without a key", cycle).isZero();
        continue;
      }
      long t0 = System.nanoTime();
      try (Lightchain chain =
          Lightchain.open(
              data,
              FileKeyStore.openOrCreate(data),
              PowerCutWriter.DEVICE,
              PowerCutWriter.OPTIONS)) {
        recoveryMillis.add((System.nanoTime() - t0) / 1_000_000);
        assertThat(chain.log().lossEntries()).as("cycle %d: a cut is not damage", cycle).isEmpty();
        assertThat(chain.log().records().lossCount()).as("cycle %d: loss count", cycle).isZero();
        assertThat(chain.log().lastCommittedSeq())
            .as("cycle %d: highest seq on disk vs highest acknowledged", cycle)
            .isGreaterThanOrEqualTo(maxAcked);
        assertThat(chain.log().size()).isGreaterThanOrEqualTo(maxAcked);
        ackChecks += maxAcked;
        chain.flush().get(2, TimeUnit.MINUTES);
        VerificationResult v = chain.verify(n -> {});
        assertThat(v.reason()).as("cycle %d: verification", cycle).isEmpty();
        assertThat(v.entries()).isEqualTo(chain.log().size());
        assertThat(v.unblockedEntries()).isZero();
      }
      if ((cycle + 1) % PROGRESS_EVERY == 0 && cycle + 1 < CYCLES) {
        // the long mode runs for an hour: a partial summary shows how far it got
        summary("power-cut progress", cycle + 1, cutsAfterAck, ackChecks, recoveryMillis);
      }
    }
    summary("power-cut", CYCLES, cutsAfterAck, ackChecks, recoveryMillis);
    assertThat(cutsAfterAck).isGreaterThan(CYCLES / 2);
  }

  private static void summary(
      String label, int cycles, int cutsAfterAck, long ackChecks, List<Long> recoveryMillis) {
    List<Long> sorted = new ArrayList<>(recoveryMillis);
    Collections.sort(sorted);
    System.out.printf(
        "%s: %d cycles (seed %d), %d after an acknowledgement, %d acknowledged seqs"
            + " checked, recovery median %d ms, max %d ms (%s)%n",
        label,
        cycles,
        SEED,
        cutsAfterAck,
        ackChecks,
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
        java.time.Instant.now());
    System.out.flush();
  }

  private static List<String> lines(Path f) throws Exception {
    String s = Files.readString(f, StandardCharsets.US_ASCII);
    // the last line may be cut by the kill; only whole lines count
    int end = s.lastIndexOf('\n');
    return end < 0 ? List.of() : s.substring(0, end).lines().filter(l -> !l.isEmpty()).toList();
  }
}
