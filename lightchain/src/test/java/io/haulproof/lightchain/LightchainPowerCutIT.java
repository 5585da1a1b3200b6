package io.haulproof.lightchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import io.haulproof.lightchain.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
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

  private static final Duration ACK = Duration.ofSeconds(120);
  private static final List<String> WRITER_JVM = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1");

  @TempDir Path tmp;
  @AutoClose private PowerCutRig rig; // kills the writers by PID and unmounts

  @Test
  void powerCut_atRandomPoints_keepsEveryAcknowledgedSeqAndVerifies() throws Exception {
    // given a LazyFS mount
    rig = PowerCutRig.mount(tmp, 256);
    Random r = new Random(SEED);
    Path data = null;
    long maxAcked = 0;
    long ackChecks = 0;
    int cutsAfterAck = 0;
    List<Long> recoveryMillis = new ArrayList<>();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      if (cycle % CYCLES_PER_TRUCK == 0) {
        data = rig.dir().resolve("truck-" + cycle);
        maxAcked = 0;
      }
      // when the writer is killed and the power cut, early (key creation, open, recovery) or after
      // it acknowledged something new; the seeded random delay is the cut point, not a wait
      WriterJvm writer =
          rig.start("writer-" + cycle, WRITER_JVM, PowerCutWriter.class, data.toString());
      if (r.nextInt(5) == 0) {
        Thread.sleep(r.nextInt(2500));
      } else {
        writer.awaitLines(l -> !l.isEmpty(), ACK, "acknowledgement");
        assertThat(writer.isAlive())
            .as("writer alive in cycle %d: %s", cycle, writer.describe())
            .isTrue();
        Thread.sleep(r.nextInt(500));
        cutsAfterAck++;
      }
      rig.cut();
      // (every writer of this truck so far acknowledged seqs of the same chain)
      maxAcked = Math.max(maxAcked, writer.maxAck());

      // then the reopened chain verifies and holds every acknowledged seq
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
}
