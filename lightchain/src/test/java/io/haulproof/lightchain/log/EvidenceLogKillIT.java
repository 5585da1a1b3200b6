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
import java.nio.charset.StandardCharsets;
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

  @TempDir Path dir;

  @Test
  void kill9_atRandomPoints_keepsEveryAcknowledgedEntryAndVerifies() throws Exception {
    Random r = new Random(20261121);
    Path data = dir.resolve("data");
    Path acked = dir.resolve("acked.txt");
    Files.createFile(acked);
    MerkleTree reference = MerkleTree.inMemory();
    long verified = 0;
    long ackedLinesBefore = 0;
    int killsAfterAck = 0;
    for (int round = 0; round < ROUNDS; round++) {
      // given a child that ingests
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  IngestChild.class.getName(),
                  data.toString(),
                  acked.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("child-" + round + ".log").toFile())
              .start();
      try {
        // when it is killed, either early (during open and recovery) or after it acknowledged
        // something new
        if (r.nextInt(4) == 0) {
          Thread.sleep(50 + r.nextInt(700));
        } else {
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (lines(acked).size() <= ackedLinesBefore
              && p.isAlive()
              && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertThat(p.isAlive())
              .as("child alive in round %d (see child-%d.log)", round, round)
              .isTrue();
          Thread.sleep(r.nextInt(600));
          killsAfterAck++;
        }
      } finally {
        p.destroyForcibly();
        p.waitFor();
      }
      List<String> ackLines = lines(acked);
      ackedLinesBefore = ackLines.size();
      long maxAcked = ackLines.stream().mapToLong(Long::parseLong).max().orElse(0);
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

  private static List<String> lines(Path f) throws Exception {
    String s = Files.readString(f, StandardCharsets.US_ASCII);
    // the last line may be cut by the kill; only whole lines count
    int end = s.lastIndexOf('\n');
    return end < 0 ? List.of() : s.substring(0, end).lines().filter(l -> !l.isEmpty()).toList();
  }
}
