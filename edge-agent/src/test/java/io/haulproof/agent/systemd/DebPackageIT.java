package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the Debian package the build produced (edge-agent/target/haulproof_*_all.deb): lintian,
 * its control fields, and an install into a throwaway root with {@code dpkg -x} whose layout must
 * match what the unit expects.
 */
class DebPackageIT {
  private static final Path TARGET = Tool.REPO.resolve("edge-agent/target");

  @TempDir static Path dir;
  private static Path deb;
  private static Path root;
  private static UnitFile unit;

  @BeforeAll
  static void extract() throws Exception {
    try (Stream<Path> files = Files.list(TARGET)) {
      List<Path> debs =
          files.filter(p -> p.getFileName().toString().matches("haulproof_.+_all\\.deb")).toList();
      assertThat(debs).as("one haulproof_*_all.deb in %s (run mvn package)", TARGET).hasSize(1);
      deb = debs.get(0);
    }
    root = dir.resolve("root");
    Tool x = Tool.run(dir, "dpkg-deb", "-x", deb.toString(), root.toString());
    assertThat(x.exitCode()).as(x.output()).isZero();
    unit = UnitFile.read(root.resolve("lib/systemd/system/haulproof-agent.service"));
  }

  @Test
  void lintian_package_reportsNoErrors() throws Exception {
    // when
    Tool result = Tool.run(dir, "lintian", "--tag-display-limit", "0", deb.toString());

    // then: warnings are allowed, errors are not
    List<String> errors = result.output().lines().filter(l -> l.startsWith("E: ")).toList();
    assertThat(errors).as(result.output()).isEmpty();
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void control_dependsOnJava17AndRecommendsMosquitto() throws Exception {
    // when
    Tool fields =
        Tool.run(
            dir,
            "dpkg-deb",
            "-f",
            deb.toString(),
            "Package",
            "Architecture",
            "Depends",
            "Recommends");

    // then
    assertThat(fields.output())
        .contains("Package: haulproof")
        .contains("Architecture: all")
        .containsPattern("Depends: .*openjdk-17-jre-headless \\| java17-runtime-headless")
        .contains("Recommends: mosquitto");
  }

  @Test
  void layout_execStartBinaryAndWrapperJarExist() throws Exception {
    // given: ExecStart=/usr/bin/haulproof run --config /etc/haulproof/agent.yaml
    String[] exec = unit.get("ExecStart").split("\\s+");
    Path binary = inRoot(exec[0]);

    // then: the binary is there and executable, and the jar its wrapper runs is there too
    assertThat(binary).isRegularFile().isExecutable();
    Matcher jar = Pattern.compile("(?m)^jar=(\\S+)$").matcher(Files.readString(binary));
    assertThat(jar.find()).as("jar= line in the wrapper").isTrue();
    assertThat(inRoot(jar.group(1))).isRegularFile();
    assertThat(Files.readString(binary)).contains("exec \"$java\"");

    // and: the --config file it is given is shipped, as a conffile
    int config = Arrays.asList(exec).indexOf("--config");
    assertThat(inRoot(exec[config + 1])).isRegularFile();
    Path control = dir.resolve("control");
    Tool ctrl = Tool.run(dir, "dpkg-deb", "-e", deb.toString(), control.toString());
    assertThat(ctrl.exitCode()).as(ctrl.output()).isZero();
    assertThat(Files.readAllLines(control.resolve("conffiles"))).contains(exec[config + 1]);
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertThat(control.resolve(script)).isExecutable();
    }

    // and: the unit's file: documentation is shipped
    for (String doc : unit.get("Documentation").split("\\s+")) {
      if (doc.startsWith("file:")) {
        assertThat(inRoot(doc.substring("file:".length()))).isRegularFile();
      }
    }
  }

  @Test
  void scripts_wrapperAndMaintainerScripts_parseWithDash() throws Exception {
    // given
    Path control = dir.resolve("control-sh");
    assertThat(Tool.run(dir, "dpkg-deb", "-e", deb.toString(), control.toString()).exitCode())
        .isZero();

    // then: /bin/sh on Debian is dash, so that is the shell that must accept them
    for (Path script :
        List.of(
            inRoot("/usr/bin/haulproof"),
            control.resolve("postinst"),
            control.resolve("prerm"),
            control.resolve("postrm"))) {
      Tool syntax = Tool.run(dir, "dash", "-n", script.toString());
      assertThat(syntax.exitCode()).as("%s: %s", script, syntax.output()).isZero();
    }
  }

  @Test
  void wrapper_execsJavaWithOptionsJarAndArguments_inTheSameProcess() throws Exception {
    // given: a stand-in java under JAVA_HOME that records its arguments and its PID
    Path javaHome = dir.resolve("fake-jdk");
    Path fakeJava = javaHome.resolve("bin/java");
    Files.createDirectories(fakeJava.getParent());
    Path record = dir.resolve("java-args");
    Files.writeString(
        fakeJava,
        "#!/bin/sh\necho $$ > " + record + ".pid\nprintf '%s\\n' \"$@\" > " + record + "\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));

    // when: the packaged wrapper runs as systemd would run ExecStart
    ProcessBuilder pb =
        new ProcessBuilder(
            inRoot("/usr/bin/haulproof").toString(),
            "run",
            "--config",
            "/etc/haulproof/agent.yaml");
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().put("HAULPROOF_JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("wrapper.out").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    // then: java got the options, the packaged jar path and the arguments, and ran as the wrapper's
    // own PID (exec)
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("wrapper.out"))).isZero();
    assertThat(Files.readAllLines(record))
        .containsExactly(
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-jar",
            "/usr/share/haulproof/haulproof.jar",
            "run",
            "--config",
            "/etc/haulproof/agent.yaml");
    assertThat(Files.readString(Path.of(record + ".pid")).strip())
        .isEqualTo(Long.toString(p.pid()));
  }

  @Test
  void layout_packagedJarRuns() throws Exception {
    // given
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    // when
    Tool version =
        Tool.run(
            dir,
            java,
            "-Xmx64m",
            "-jar",
            inRoot("/usr/share/haulproof/haulproof.jar").toString(),
            "--version");

    // then
    assertThat(version.exitCode()).as(version.output()).isZero();
  }

  @Test
  void sysusers_createsTheUnitsUserAndGroups() throws Exception {
    // given
    Path sysusers = inRoot("/usr/lib/sysusers.d/haulproof.conf");
    Path sandbox = copyOfRoot("sysusers");

    // when: the real systemd-sysusers applies the snippet to the throwaway root
    Tool result = Tool.run(dir, "systemd-sysusers", "--root=" + sandbox, sysusers.toString());

    // then: User=, Group= and every SupplementaryGroups= entry exist there
    assertThat(result.exitCode()).as(result.output()).isZero();
    Map<String, String> users = names(sandbox.resolve("etc/passwd"));
    Map<String, String> groups = names(sandbox.resolve("etc/group"));
    assertThat(users).containsKey(unit.get("User"));
    assertThat(groups).containsKey(unit.get("Group"));
    for (String group : unit.get("SupplementaryGroups").split("\\s+")) {
      assertThat(groups).as("group %s", group).containsKey(group);
    }
    // and: the user's home is the unit's state directory (JNA and jSerialComm unpack native code
    // there)
    assertThat(users.get(unit.get("User")))
        .contains(":/var/lib/" + unit.get("StateDirectory") + ":");
  }

  @Test
  void tmpfiles_createsTheUnitsDirectoriesOwnedByItsUser() throws Exception {
    // given: a root where the user exists
    Path sandbox = copyOfRoot("tmpfiles");
    Tool users =
        Tool.run(
            dir,
            "systemd-sysusers",
            "--root=" + sandbox,
            inRoot("/usr/lib/sysusers.d/haulproof.conf").toString());
    assertThat(users.exitCode()).as(users.output()).isZero();

    // when
    Tool result =
        Tool.run(
            dir,
            "systemd-tmpfiles",
            "--root=" + sandbox,
            "--create",
            inRoot("/usr/lib/tmpfiles.d/haulproof.conf").toString());

    // then: state and logs are the agent's alone (0700), configuration is readable by its group
    // only
    assertThat(result.exitCode()).as(result.output()).isZero();
    String uid = names(sandbox.resolve("etc/passwd")).get(unit.get("User")).split(":")[2];
    Path state = sandbox.resolve("var/lib/" + unit.get("StateDirectory"));
    Path logs = sandbox.resolve("var/log/" + unit.get("LogsDirectory"));
    for (Path d : List.of(state, logs)) {
      assertThat(Files.getPosixFilePermissions(d))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(Files.getAttribute(d, "unix:uid").toString()).isEqualTo(uid);
    }
    assertThat(unit.get("StateDirectoryMode")).isEqualTo("0700");
    assertThat(unit.get("LogsDirectoryMode")).isEqualTo("0700");
    Path config = sandbox.resolve("etc/" + unit.get("ConfigurationDirectory"));
    assertThat(Files.getPosixFilePermissions(config))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.getPosixFilePermissions(config.resolve("agent.yaml")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    assertThat(Files.getPosixFilePermissions(config.resolve("credentials")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void udev_rulesGiveEachBusToAGroupTheUnitJoins() throws Exception {
    // given
    List<String> groups = Arrays.asList(unit.get("SupplementaryGroups").split("\\s+"));
    Path rules = inRoot("/lib/udev/rules.d/60-haulproof.rules");

    // when
    List<String> assigned =
        Files.readAllLines(rules).stream()
            .filter(l -> !l.startsWith("#") && !l.isBlank())
            .map(l -> l.replaceAll(".*GROUP=\"([^\"]+)\".*", "$1"))
            .toList();

    // then
    assertThat(assigned).hasSize(3).allMatch(groups::contains);
    assertThat(Files.readAllLines(rules).stream().filter(l -> !l.startsWith("#") && !l.isBlank()))
        .allMatch(l -> l.matches("(\\w+(==|=)\"[^\"]+\"(, )?)+"));
  }

  @Test
  void verify_installedUnitInExtractedRoot_isClean() throws Exception {
    // given: the extracted package plus the host's units (sysinit.target and friends)
    Path sandbox = copyOfRoot("verify");
    UnitRoot.addHostUnits(sandbox);

    // when: verify resolves ExecStart against the package's own /usr/bin/haulproof
    Tool result =
        Tool.run(
            dir,
            "systemd-analyze",
            "verify",
            "--man=no",
            "--generators=no",
            "--root=" + sandbox,
            "haulproof-agent.service");

    // then
    assertThat(result.output()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void credential_pathIsInsideTheRootOnlyCredentialsDirectory() throws Exception {
    // given:
    // LoadCredentialEncrypted=haulproof-key-pass:/etc/haulproof/credentials/haulproof-key-pass.cred
    String credential = unit.get("LoadCredentialEncrypted");

    // then: the id is the name lc-crypto's FileKeyStore reads from $CREDENTIALS_DIRECTORY, under
    // the 0700 dir
    assertThat(credential).startsWith("haulproof-key-pass:/etc/haulproof/credentials/");
    assertThat(Files.readString(inRoot("/usr/lib/tmpfiles.d/haulproof.conf")))
        .containsPattern("(?m)^d /etc/haulproof/credentials 0700 root root");
  }

  private static Path inRoot(String absolute) {
    return root.resolve(absolute.substring(1));
  }

  private static Path copyOfRoot(String name) throws IOException, InterruptedException {
    Path copy = dir.resolve(name);
    Tool cp = Tool.run(dir, "cp", "-a", root.toString(), copy.toString());
    assertThat(cp.exitCode()).as(cp.output()).isZero();
    return copy;
  }

  /** name → whole line, from a passwd or group file. */
  private static Map<String, String> names(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> l.contains(":"))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l));
  }
}
