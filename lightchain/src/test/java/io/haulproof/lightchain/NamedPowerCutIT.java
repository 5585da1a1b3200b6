package io.haulproof.lightchain;

import static io.haulproof.lightchain.testing.PowerCutRig.crashAt;
import static io.haulproof.lightchain.testing.PowerCutRig.crashAtRename;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import io.haulproof.lightchain.verify.VerificationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power cuts at named points, where random kill points rarely land: LazyFS is armed with a crash
 * fault ({@code lazyfs::crash::timing=...::op=...}) on the file a step writes, so it drops every
 * unsynced byte and dies exactly there, while {@link PowerCutWriter} writes a lightchain on it. The
 * writer then gets {@code kill -9}, LazyFS is mounted again over the same backing dir, and the
 * reopened chain must hold every acknowledged seq, verify, and report no damage.
 */
class NamedPowerCutIT {
  private static final Duration ACK = Duration.ofSeconds(90);
  private static final List<String> WRITER_JVM = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1");

  @TempDir Path tmp;
  @AutoClose private PowerCutRig rig; // kills the writers by PID and unmounts

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of(
            "key creation: before the private key's rename",
            crashAtRename("before", "device\\.p8"),
            false),
        Arguments.of(
            "key creation: after the public key's rename",
            crashAtRename("after", "device\\.pub"),
            false),
        Arguments.of(
            "segment roll-over: after the second segment is created",
            crashAt("after", "create", "log/0+[1-9][0-9]*\\.seg"),
            true),
        Arguments.of(
            "segment roll-over: before the second segment's first fsync",
            crashAt("before", "fsync", "log/0+[1-9][0-9]*\\.seg"),
            true),
        Arguments.of(
            "block sealing: after a block record is written",
            crashAt("after", "write", "blocks/blocks\\.dat"),
            true),
        Arguments.of(
            "block sealing: before the block file's fsync",
            crashAt("before", "fsync", "blocks/blocks\\.dat"),
            true),
        Arguments.of(
            "checkpoint write: before the rename", crashAtRename("before", "latest\\.note"), true),
        Arguments.of(
            "checkpoint write: after the rename", crashAtRename("after", "latest\\.note"), true),
        Arguments.of(
            "tree head write: before the rename", crashAtRename("before", "tree\\.head"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void powerCut_atNamedPoint_keepsEveryAcknowledgedSeqAndVerifies(
      String point, String fault, boolean afterFirstAck) throws Exception {
    // given a writer on a LazyFS mount armed to die at the named point (at once for key creation,
    // else once the writer acknowledged its first entries, so the cut has evidence to lose)
    rig = PowerCutRig.mount(tmp, 128);
    if (!afterFirstAck) {
      rig.arm(fault);
    }
    Path data = rig.dir().resolve("truck");
    WriterJvm writer = rig.start("writer", WRITER_JVM, PowerCutWriter.class, data.toString());
    if (afterFirstAck) {
      writer.awaitAckAbove(0, ACK);
      rig.arm(fault);
    }

    // when the power is cut there (LazyFS drops what is unsynced and dies) and the writer killed
    rig.crash();

    // then the chain opens again (creating its key if none was stored), holds every acknowledged
    // seq, verifies, and reports no damage
    long maxAcked = writer.maxAck();
    DeviceKey key = FileKeyStore.openOrCreate(data);
    assertThat(FileKeyStore.readPublicKey(data))
        .as("%s: the public key on disk belongs to the private key", point)
        .contains(key.publicKey());
    try (Lightchain chain =
        Lightchain.open(data, key, PowerCutWriter.DEVICE, PowerCutWriter.OPTIONS)) {
      assertThat(chain.log().lossEntries()).as("%s: a cut is not damage", point).isEmpty();
      assertThat(chain.log().records().lossCount()).isZero();
      assertThat(chain.log().lastCommittedSeq())
          .as("%s: highest seq on disk vs highest acknowledged", point)
          .isGreaterThanOrEqualTo(maxAcked);
      chain.flush().get(2, TimeUnit.MINUTES);
      VerificationResult v = chain.verify(n -> {});
      assertThat(v.reason()).as("%s: verification", point).isEmpty();
      assertThat(v.entries()).isEqualTo(chain.log().size());
      assertThat(v.unblockedEntries()).isZero();
    }
    System.out.printf("named power cut: %s: %d acknowledged seqs kept%n", point, maxAcked);
  }
}
