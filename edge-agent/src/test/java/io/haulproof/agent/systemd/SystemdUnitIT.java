package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks systemd/haulproof-agent.service with the real systemd-analyze. */
class SystemdUnitIT {
  static final Path UNIT = Tool.REPO.resolve("systemd/haulproof-agent.service");
  private static final Pattern EXPOSURE =
      Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

  @TempDir Path dir;

  @Test
  void verify_unitWithItsExecutableInstalled_isClean() throws Exception {
    // given: a root with the host's units, our unit and an executable at ExecStart's path
    Path root = rootWithUnit();
    installExecutable(root.resolve("usr/bin/haulproof"));

    // when
    Tool result = verify(root);

    // then: exit 0 and not a single warning
    assertThat(result.output()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void verify_executableMissing_fails() throws Exception {
    // given: the same root without /usr/bin/haulproof (proves verify really looks at ExecStart)
    Path root = rootWithUnit();

    // when
    Tool result = verify(root);

    // then
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("/usr/bin/haulproof");
  }

  @Test
  void security_offline_exposureAtMostThree() throws Exception {
    // when
    Tool result =
        Tool.run(
            dir, "systemd-analyze", "security", "--offline=true", "--no-pager", UNIT.toString());

    // then
    double exposure = exposure(result);
    assertThat(exposure).as(result.output()).isLessThanOrEqualTo(3.0);
  }

  @Test
  void security_offlineUnhardenedUnit_exposureAboveThree() throws Exception {
    // given: the same service without hardening (proves the parse and the threshold mean something)
    Path bare = dir.resolve("bare.service");
    Files.writeString(
        bare, "[Service]\nType=notify\nExecStart=/usr/bin/haulproof run\nUser=haulproof\n");

    // when
    Tool result =
        Tool.run(
            dir, "systemd-analyze", "security", "--offline=true", "--no-pager", bare.toString());

    // then
    assertThat(exposure(result)).isGreaterThan(3.0);
  }

  @Test
  void unit_doesNotDenyWriteExecuteMemory_becauseTheJitNeedsIt() throws Exception {
    // given
    String unit = Files.readString(UNIT);

    // then: no active MemoryDenyWriteExecute line (comments explaining why are fine)
    assertThat(unit.lines().map(String::strip).filter(l -> !l.startsWith("#")))
        .noneMatch(l -> l.startsWith("MemoryDenyWriteExecute"));
  }

  private Path rootWithUnit() throws Exception {
    Path root = dir.resolve("root");
    UnitRoot.addHostUnits(root);
    Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
    Files.copy(UNIT, units.resolve(UNIT.getFileName()));
    return root;
  }

  private Tool verify(Path root) throws Exception {
    return Tool.run(
        dir,
        "systemd-analyze",
        "verify",
        "--man=no",
        "--generators=no",
        "--root=" + root,
        UNIT.getFileName().toString());
  }

  private static void installExecutable(Path path) throws Exception {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static double exposure(Tool result) {
    Matcher m = EXPOSURE.matcher(result.output());
    assertThat(m.find()).as("exposure line in: %s", result.output()).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
