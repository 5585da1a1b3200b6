package io.haulproof.lightchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.testing.LazyFsMount;
import io.haulproof.lightchain.verify.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
  private static final Duration CRASH = Duration.ofSeconds(90);

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

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of(
            "key creation: before the private key's rename",
            rename("device\\.p8", "before"),
            false),
        Arguments.of(
            "key creation: after the public key's rename", rename("device\\.pub", "after"), false),
        Arguments.of(
            "segment roll-over: after the second segment is created",
            "lazyfs::crash::timing=after::op=create::from_rgx=log/0+[1-9][0-9]*\\.seg",
            true),
        Arguments.of(
            "segment roll-over: before the second segment's first fsync",
            "lazyfs::crash::timing=before::op=fsync::from_rgx=log/0+[1-9][0-9]*\\.seg",
            true),
        Arguments.of(
            "block sealing: after a block record is written",
            "lazyfs::crash::timing=after::op=write::from_rgx=blocks/blocks\\.dat",
            true),
        Arguments.of(
            "block sealing: before the block file's fsync",
            "lazyfs::crash::timing=before::op=fsync::from_rgx=blocks/blocks\\.dat",
            true),
        Arguments.of(
            "checkpoint write: before the rename", rename("latest\\.note", "before"), true),
        Arguments.of("checkpoint write: after the rename", rename("latest\\.note", "after"), true),
        Arguments.of("tree head write: before the rename", rename("tree\\.head", "before"), true));
  }

  private static String rename(String target, String timing) {
    // LazyFS checks only to_rgx for renames; from_rgx must be given and not match "none"
    return "lazyfs::crash::timing=" + timing + "::op=rename::from_rgx=tmp::to_rgx=" + target;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void powerCut_atNamedPoint_keepsEveryAcknowledgedSeqAndVerifies(
      String point, String fault, boolean afterFirstAck) throws Exception {
    // given a writer on a LazyFS mount armed to die at the named point (at once for key creation,
    // else once the writer acknowledged its first entries, so the cut has evidence to lose)
    Path work = tmp.resolve("lazyfs");
    mount = LazyFsMount.mount(work, 128);
    if (!afterFirstAck) {
      mount.inject(fault);
    }
    Path data = mount.dir().resolve("truck");
    Path acked = Files.createFile(tmp.resolve("acked.txt"));
    Path childLog = tmp.resolve("child.log");
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
    if (afterFirstAck) {
      long deadline = System.nanoTime() + CRASH.toNanos();
      while (maxAcked(acked) == 0 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(maxAcked(acked))
          .as("%s: writer acknowledged: %s", point, read(childLog))
          .isPositive();
      mount.inject(fault);
    }

    // when the power is cut there (LazyFS drops what is unsynced and dies) and the writer killed
    assertThat(mount.awaitCrash(CRASH))
        .as("%s: the fault fired; LazyFS log:%n%s%nwriter:%n%s", point, mount.log(), read(childLog))
        .isTrue();
    assertThat(mount.log()).contains("Triggered fault condition");
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    child = null;
    mount.close();
    mount = LazyFsMount.mount(work, 128);

    // then the chain opens again (creating its key if none was stored), holds every acknowledged
    // seq, verifies, and reports no damage
    long maxAcked = maxAcked(acked);
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

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (Exception e) {
      return e.toString();
    }
  }
}
