package io.haulproof.agent.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.testing.LazyFsMount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power cuts (LazyFS crash faults) during key rotation: {@link RotationWriter} rotates the device
 * key again and again with its keys and identity state on LazyFS; LazyFS dies around the rename of
 * the identity state, of a new key file, or of the published public key. After a remount the
 * identity opens (rolling back an unconfirmed switch), its active key signs and verifies, and it is
 * never an older key than the last confirmed rotation.
 */
class KeyRotationPowerCutIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

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
            "identity state, before its rename", rename("identity\\.properties", "before")),
        Arguments.of("identity state, after its rename", rename("identity\\.properties", "after")),
        Arguments.of("new key file, before its rename", rename("keys/.*\\.p8", "before")),
        Arguments.of(
            "published public key, before its rename", rename("identity/.*\\.pem", "before")));
  }

  private static String rename(String target, String timing) {
    return "lazyfs::crash::timing=" + timing + "::op=rename::from_rgx=tmp::to_rgx=" + target;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void keyRotation_powerCutAtRename_opensWithAConfirmedOrNewerKey(String point, String fault)
      throws Exception {
    // given the writer rotating keys on LazyFS, with two rotations confirmed
    Path work = tmp.resolve("lazyfs");
    mount = LazyFsMount.mount(work, 64);
    Path keys = mount.dir().resolve("keys");
    Path identity = mount.dir().resolve("identity");
    Path ca = tmp.resolve("ca");
    Path acked = Files.createFile(tmp.resolve("acked.txt"));
    Path log = tmp.resolve("writer.log");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                RotationWriter.class.getName(),
                ca.toString(),
                keys.toString(),
                identity.toString(),
                acked.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (kids(acked).size() < 2 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(kids(acked))
        .as("writer confirmed: %s", Files.readString(log))
        .hasSizeGreaterThanOrEqualTo(2);

    // when the power is cut at the named rename and the writer killed
    mount.inject(fault);
    assertThat(mount.awaitCrash(WAIT)).as("%s: the fault fired: %s", point, mount.log()).isTrue();
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    child = null;
    List<String> confirmed = kids(acked);
    mount.close();
    mount = LazyFsMount.mount(work, 64);

    // then the identity opens with a working key that is the last confirmed one or newer
    DeviceIdentity id =
        RotationWriter.open(FleetCa.open(ca, Clock.systemUTC()), keys, identity, Clock.systemUTC());
    DeviceKey active = id.activeKey();
    CoseSign1.sign(active, Bytes.wrap(new byte[] {1, 2, 3})).verify(active.publicKey());
    String kid = active.kid().toHex();
    assertThat(confirmed.subList(0, confirmed.size() - 1))
        .as("%s: active key %s is not an older confirmed key", point, kid)
        .doesNotContain(kid);
    assertThat(id.previousKey()).isEmpty();
    System.out.printf(
        "key rotation power cut: %s: %d rotations confirmed, active %s the last confirmed%n",
        point,
        confirmed.size(),
        kid.equals(confirmed.get(confirmed.size() - 1)) ? "is" : "is newer than");
  }

  private static List<String> kids(Path f) throws Exception {
    String s = Files.readString(f, StandardCharsets.US_ASCII);
    int end = s.lastIndexOf('\n');
    return end < 0 ? List.of() : s.substring(0, end).lines().filter(l -> !l.isEmpty()).toList();
  }
}
