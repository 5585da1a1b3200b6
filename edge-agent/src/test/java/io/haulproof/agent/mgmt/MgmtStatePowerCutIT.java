package io.haulproof.agent.mgmt;

import static io.haulproof.lightchain.testing.PowerCutRig.crashAtRename;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power cuts (LazyFS crash faults) in the management state files: a config snapshot, the pointer to
 * the current one, and the replay counters, each cut around its rename while {@link
 * MgmtStateWriter} commits version after version. After a remount both open without error, the
 * current config is at least the last acknowledged version and holds exactly that version's values,
 * and the replay counter never falls behind an acknowledged version.
 */
class MgmtStatePowerCutIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;
  @AutoClose private PowerCutRig rig; // kills the writers by PID and unmounts

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of(
            "config snapshot, before its rename", crashAtRename("before", "config-[0-9]+\\.json")),
        Arguments.of(
            "config pointer, before its rename", crashAtRename("before", "config/current")),
        Arguments.of("config pointer, after its rename", crashAtRename("after", "config/current")),
        Arguments.of(
            "replay counters, before their rename", crashAtRename("before", "replay-counters")),
        Arguments.of(
            "replay counters, after their rename", crashAtRename("after", "replay-counters")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void managementState_powerCutAtRename_opensWithEveryAcknowledgedVersion(
      String point, String fault) throws Exception {
    // given the writer committing versions on LazyFS, with some acknowledged
    rig = PowerCutRig.mount(tmp, 64);
    Path state = rig.dir().resolve("mgmt");
    WriterJvm writer = rig.start("writer", MgmtStateWriter.class, state.toString());
    writer.awaitAckAbove(2, WAIT);

    // when the power is cut at the named rename and the writer killed
    rig.arm(fault);
    rig.crash();
    long last = writer.maxAck();

    // then both open, the current config holds an acknowledged-or-later version with its values,
    // and the replay counter is not behind
    ConfigStore store = ConfigStore.open(state.resolve("config"));
    long v = store.current().version();
    assertThat(v)
        .as("%s: current config version vs last acknowledged", point)
        .isGreaterThanOrEqualTo(last);
    assertThat(store.current().values()).isEqualTo(MgmtStateWriter.values(v));
    ReplayGuard replay = ReplayGuard.open(state.resolve("replay-counters"));
    assertThat(replay.highest(MgmtStateWriter.ISSUER))
        .as("%s: replay counter", point)
        .isGreaterThanOrEqualTo(last);
    System.out.printf(
        "management power cut: %s: version %d acknowledged, %d current%n", point, last, v);
  }
}
