package io.haulproof.agent.provision;

import static io.haulproof.lightchain.testing.PowerCutRig.crashAtRename;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
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
  @AutoClose private PowerCutRig rig; // kills the writers by PID and unmounts

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of(
            "identity state, before its rename", crashAtRename("before", "identity\\.properties")),
        Arguments.of(
            "identity state, after its rename", crashAtRename("after", "identity\\.properties")),
        Arguments.of("new key file, before its rename", crashAtRename("before", "keys/.*\\.p8")),
        Arguments.of(
            "published public key, before its rename",
            crashAtRename("before", "identity/.*\\.pem")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void keyRotation_powerCutAtRename_opensWithAConfirmedOrNewerKey(String point, String fault)
      throws Exception {
    // given the writer rotating keys on LazyFS, with two rotations confirmed
    rig = PowerCutRig.mount(tmp, 64);
    Path keys = rig.dir().resolve("keys");
    Path identity = rig.dir().resolve("identity");
    Path ca = tmp.resolve("ca");
    WriterJvm writer =
        rig.start(
            "writer", RotationWriter.class, ca.toString(), keys.toString(), identity.toString());
    writer.awaitLines(kids -> kids.size() >= 2, WAIT, "two confirmed rotations");

    // when the power is cut at the named rename and the writer killed
    rig.arm(fault);
    rig.crash();
    List<String> confirmed = writer.lines();

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
}
