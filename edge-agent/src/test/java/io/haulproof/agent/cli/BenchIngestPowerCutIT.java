package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's ingest path under power cuts: {@code haulproof bench ingest --acked /dev/stdout}
 * writes on a LazyFS mount in its own JVM; once it acknowledged more, at a seeded random moment, it
 * gets {@code kill -9} and LazyFS drops every unsynced byte. The reopened log must hold every
 * acknowledged seq, with every entry's signature valid and no loss reported. The next cycle appends
 * to the same data dir (reopen, recovery, then new appends).
 */
class BenchIngestPowerCutIT {
  private static final int CYCLES = 3;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;
  @AutoClose private PowerCutRig rig; // kills the writers by PID and unmounts

  @Test
  void benchIngest_killedAndPowerCut_keepsEveryAcknowledgedSeqAndVerifies() throws Exception {
    // given bench ingest writing on a LazyFS mount, acknowledging on its stdout
    rig = PowerCutRig.mount(tmp, 256);
    Path data = rig.dir().resolve("agent");
    Random r = new Random(20261204L);
    long checkedUpTo = 0;
    long maxAcked = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      WriterJvm ingest =
          rig.start(
              "ingest-" + cycle,
              Main.class,
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
              "/dev/stdout");
      // when it acknowledged more than before, then at a random moment (the seeded delay is the
      // cut point, not a wait) it dies and the power fails
      long before = maxAcked;
      ingest.awaitAckAbove(before, WAIT);
      assertThat(ingest.isAlive())
          .as("ingest alive in cycle %d: %s", cycle, ingest.describe())
          .isTrue();
      Thread.sleep(r.nextInt(1500));
      rig.cut();

      // then the log reopens with every acknowledged seq, valid signatures, and no loss
      maxAcked = Math.max(maxAcked, ingest.maxAck());
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
}
