package io.haulproof.agent.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.testing.LazyFsMount;
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
 * Power cuts (LazyFS crash faults) in the management state files: a config snapshot, the pointer to
 * the current one, and the replay counters, each cut around its rename while {@link
 * MgmtStateWriter} commits version after version. After a remount both open without error, the
 * current config is at least the last acknowledged version and holds exactly that version's values,
 * and the replay counter never falls behind an acknowledged version.
 */
class MgmtStatePowerCutIT {
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
            "config snapshot, before its rename", rename("config-[0-9]+\\.json", "before")),
        Arguments.of("config pointer, before its rename", rename("config/current", "before")),
        Arguments.of("config pointer, after its rename", rename("config/current", "after")),
        Arguments.of("replay counters, before their rename", rename("replay-counters", "before")),
        Arguments.of("replay counters, after their rename", rename("replay-counters", "after")));
  }

  private static String rename(String target, String timing) {
    return "lazyfs::crash::timing=" + timing + "::op=rename::from_rgx=tmp::to_rgx=" + target;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void managementState_powerCutAtRename_opensWithEveryAcknowledgedVersion(
      String point, String fault) throws Exception {
    // given the writer committing versions on LazyFS, with some acknowledged
    Path work = tmp.resolve("lazyfs");
    mount = LazyFsMount.mount(work, 64);
    Path state = mount.dir().resolve("mgmt");
    Path acked = Files.createFile(tmp.resolve("acked.txt"));
    Path log = tmp.resolve("writer.log");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                MgmtStateWriter.class.getName(),
                state.toString(),
                acked.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (maxAcked(acked) < 3 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(maxAcked(acked))
        .as("writer acknowledged: %s", Files.readString(log))
        .isGreaterThanOrEqualTo(3);

    // when the power is cut at the named rename and the writer killed
    mount.inject(fault);
    assertThat(mount.awaitCrash(WAIT)).as("%s: the fault fired: %s", point, mount.log()).isTrue();
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    child = null;
    long last = maxAcked(acked);
    mount.close();
    mount = LazyFsMount.mount(work, 64);

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
}
