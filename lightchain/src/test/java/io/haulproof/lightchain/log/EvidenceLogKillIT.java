package io.haulproof.lightchain.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.lightchain.testing.WriterJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kill -9} torture test: a child JVM ({@link IngestChild}) ingests and is killed with
 * SIGKILL at seeded random points, 30 times; after every kill the reopened log must verify (every
 * CRC, seq 1..n contiguous, every signature, the Merkle root) and hold every acknowledged seq, and
 * a kill must never look like damage.
 */
class EvidenceLogKillIT {
  private static final int ROUNDS = Integer.getInteger("haulproof.torture.rounds", 30);
  private static final Duration ACK = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void kill9_atRandomPoints_keepsEveryAcknowledgedEntryAndVerifies() throws Exception {
    Random r = new Random(20261121);
    Path data = dir.resolve("data");
    MerkleTree reference = MerkleTree.inMemory();
    long verified = 0;
    long maxAcked = 0;
    int killsAfterAck = 0;
    for (int round = 0; round < ROUNDS; round++) {
      // given a child that ingests
      WriterJvm child =
          WriterJvm.start(
              dir.resolve("children"),
              "child-" + round,
              List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"),
              IngestChild.class,
              List.of(data.toString()));
      try {
        // when it is killed, either early (during open and recovery) or after it acknowledged
        // something new; the seeded random delay is the kill point, not a wait
        if (r.nextInt(4) == 0) {
          Thread.sleep(50 + r.nextInt(700));
        } else {
          child.awaitLines(l -> !l.isEmpty(), ACK, "acknowledgement");
          assertThat(child.isAlive())
              .as("child alive in round %d: %s", round, child.describe())
              .isTrue();
          Thread.sleep(r.nextInt(600));
          killsAfterAck++;
        }
      } finally {
        child.kill();
      }
      // (every child so far acknowledged seqs of the same log)
      maxAcked = Math.max(maxAcked, child.maxAck());
      if (!Files.exists(FileKeyStore.keysDir(data).resolve(FileKeyStore.PUBLIC_FILE))) {
        continue; // killed before the key existed: nothing can have been acknowledged
      }

      // then the reopened log verifies and holds every acknowledged seq
      DeviceKey key = FileKeyStore.openOrCreate(data);
      try (EvidenceLog log = EvidenceLog.open(data, key, "torture-01", IngestChild.OPTIONS)) {
        assertThat(log.lossEntries()).as("a kill is never damage (round %d)", round).isEmpty();
        assertThat(log.records().lossCount()).isZero();
        long n = log.size();
        assertThat(n)
            .as("round %d: size vs highest acknowledged seq", round)
            .isGreaterThanOrEqualTo(maxAcked);
        LogCursor c = log.cursor(0);
        long i = 0;
        for (LogRecord rec = c.next(); rec != null; rec = c.next(), i++) {
          assertThat(rec.index()).isEqualTo(i);
          Hash leaf = Rfc9162.leafHash(rec.payload());
          if (i < verified) {
            assertThat(leaf)
                .as("round %d: entry %d changed", round, i)
                .isEqualTo(reference.leafHash(i));
            continue;
          }
          CoseSign1 cose = CoseSign1.decode(rec.payload());
          cose.verify(key.publicKey());
          Entry e = EntryCodec.decode(cose);
          assertThat(e.header().seq()).as("round %d: seq at index %d", round, i).isEqualTo(i + 1);
          reference.append(leaf);
        }
        assertThat(i).isEqualTo(n);
        verified = n;
        assertThat(log.tree().size()).isEqualTo(n);
        assertThat(log.tree().root())
            .as("round %d: Merkle root", round)
            .isEqualTo(reference.root());
      }
    }
    System.out.printf(
        "verified %d entries over %d rounds, %d kills after an acknowledgement%n",
        verified, ROUNDS, killsAfterAck);
    assertThat(killsAfterAck).isGreaterThan(ROUNDS / 2);
    assertThat(verified).isGreaterThan(ROUNDS);
  }
}
