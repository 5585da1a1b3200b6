package io.haulproof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void run_invalidConfig_failsWithTheKeyAndStops() throws Exception {
    // given
    Path config = dir.resolve("agent.yaml");
    Files.writeString(config, "device:\n  id: t1\n  fleet: f\n  colour: red\n");
    List<Finding> printed = new ArrayList<>();

    // when
    List<Finding> findings =
        Doctor.standard(TIMEOUT, Clock.systemUTC(), Map.of()).run(config, printed::add);

    // then: one FAIL line naming the key, exit 1
    assertThat(findings).hasSize(1).isEqualTo(printed);
    assertThat(findings.get(0).line()).startsWith("FAIL config: ").contains("colour");
    assertThat(Doctor.exitCode(findings)).isEqualTo(1);
  }

  @Test
  void run_missingConfigFile_fails() {
    // when
    List<Finding> findings =
        Doctor.standard(TIMEOUT, Clock.systemUTC(), Map.of())
            .run(dir.resolve("absent.yaml"), f -> {});

    // then
    assertThat(findings)
        .extracting(Finding::line)
        .singleElement()
        .asString()
        .startsWith("FAIL config:");
  }

  @Test
  void run_healthyDepotGateway_noFailuresExitZero() throws Exception {
    // given: a key, listening brokers on loopback, an in-sync clock flag; the agent's status page
    // is not running
    try (ServerSocket uplink = Gateway.listening();
        ServerSocket bins = Gateway.listening()) {
      Gateway gw =
          new Gateway(dir)
              .withKey()
              .depot(
                  "tcp://127.0.0.1:" + uplink.getLocalPort(),
                  "",
                  "tcp://127.0.0.1:" + bins.getLocalPort(),
                  Gateway.closedPort());
      Path synced = Files.createFile(dir.resolve("synchronized"));
      Doctor doctor = doctor(synced);

      // when
      List<Finding> findings = doctor.run(gw.config, f -> {});

      // then
      assertThat(findings).extracting(Finding::verdict).doesNotContain(Verdict.FAIL);
      assertThat(Doctor.exitCode(findings)).isZero();
      assertThat(lines(findings))
          .anyMatch(l -> l.startsWith("OK   config: ") && l.contains("device depot-test"))
          .anyMatch(l -> l.startsWith("OK   keystore: ") && l.contains("kid "))
          .anyMatch(
              l ->
                  l.startsWith(
                      "OK   uplink broker: tcp://127.0.0.1:" + uplink.getLocalPort() + " answers"))
          .anyMatch(l -> l.startsWith("OK   smart-bin broker: "))
          .anyMatch(l -> l.startsWith("OK   clock: ") && l.contains("synchronized"))
          .anyMatch(l -> l.startsWith("OK   disk: ") && l.contains("MiB free"))
          .anyMatch(l -> l.startsWith("OK   quarantine: empty"))
          .anyMatch(l -> l.startsWith("WARN last receipt: the agent does not answer"));
    }
  }

  @Test
  void run_uplinkBrokerPortClosed_failsExitOne() throws Exception {
    // given: nothing listens on the uplink port
    try (ServerSocket bins = Gateway.listening()) {
      int closed = Gateway.closedPort();
      Gateway gw =
          new Gateway(dir)
              .withKey()
              .depot(
                  "tcp://127.0.0.1:" + closed,
                  "",
                  "tcp://127.0.0.1:" + bins.getLocalPort(),
                  Gateway.closedPort());

      // when
      List<Finding> findings = doctor(dir.resolve("no-flag")).run(gw.config, f -> {});

      // then
      assertThat(lines(findings))
          .anyMatch(
              l ->
                  l.startsWith(
                      "FAIL uplink broker: tcp://127.0.0.1:" + closed + " does not answer"))
          .anyMatch(l -> l.startsWith("WARN clock: "));
      assertThat(Doctor.exitCode(findings)).isEqualTo(1);
    }
  }

  @Test
  void run_keyFileReadableByOthers_fails() throws Exception {
    // given
    try (ServerSocket up = Gateway.listening()) {
      String url = "tcp://127.0.0.1:" + up.getLocalPort();
      Gateway gw = new Gateway(dir).withKey().depot(url, "", url, Gateway.closedPort());
      Files.setPosixFilePermissions(
          gw.data.resolve("keys/device.p8"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

      // when
      List<Finding> findings = doctor(dir.resolve("no-flag")).run(gw.config, f -> {});

      // then
      assertThat(lines(findings))
          .anyMatch(l -> l.startsWith("FAIL keystore: ") && l.contains("rw-r--r--"));
      assertThat(Doctor.exitCode(findings)).isEqualTo(1);
    }
  }

  @Test
  void run_passphraseFileBesideKey_warnsToSealIt() throws Exception {
    // given: the demo's clear-text passphrase file left on a production device
    try (ServerSocket up = Gateway.listening()) {
      String url = "tcp://127.0.0.1:" + up.getLocalPort();
      Gateway gw = new Gateway(dir).withKey().depot(url, "", url, Gateway.closedPort());
      Files.writeString(gw.data.resolve("keys/passphrase"), "secret\n");

      // when
      List<Finding> findings =
          doctor(Files.createFile(dir.resolve("sync"))).run(gw.config, f -> {});

      // then
      assertThat(lines(findings))
          .anyMatch(l -> l.startsWith("WARN keystore: the key's passphrase is stored in clear"))
          .noneMatch(l -> l.contains("secret"));
    }
  }

  @Test
  void run_noKeyYet_warnsOnly() throws Exception {
    // given: a fresh install, before the agent's first start
    try (ServerSocket up = Gateway.listening()) {
      String url = "tcp://127.0.0.1:" + up.getLocalPort();
      Gateway gw = new Gateway(dir).depot(url, "", url, Gateway.closedPort());

      // when
      List<Finding> findings =
          doctor(Files.createFile(dir.resolve("sync"))).run(gw.config, f -> {});

      // then
      assertThat(lines(findings)).anyMatch(l -> l.startsWith("WARN keystore: no device key"));
      assertThat(Doctor.exitCode(findings)).isZero();
    }
  }

  @Test
  void run_quarantinedSegments_warnsWithCount() throws Exception {
    // given
    try (ServerSocket up = Gateway.listening()) {
      String url = "tcp://127.0.0.1:" + up.getLocalPort();
      Gateway gw = new Gateway(dir).withKey().depot(url, "", url, Gateway.closedPort());
      Path q = Files.createDirectories(gw.data.resolve("quarantine"));
      Files.writeString(q.resolve("00000001.seg"), "damaged");
      Files.writeString(q.resolve("00000007.seg"), "damaged");

      // when
      List<Finding> findings = doctor(dir.resolve("no-flag")).run(gw.config, f -> {});

      // then
      assertThat(lines(findings)).anyMatch(l -> l.startsWith("WARN quarantine: 2 damaged file(s)"));
    }
  }

  @Test
  void run_dataDirMissing_failsDisk() throws Exception {
    // given
    try (ServerSocket up = Gateway.listening()) {
      String url = "tcp://127.0.0.1:" + up.getLocalPort();
      Gateway gw = new Gateway(dir).depot(url, "", url, Gateway.closedPort());
      Files.delete(gw.data);

      // when
      List<Finding> findings = doctor(dir.resolve("no-flag")).run(gw.config, f -> {});

      // then
      assertThat(lines(findings))
          .anyMatch(l -> l.startsWith("FAIL disk: ") && l.contains("does not exist"));
    }
  }

  @Test
  void run_fileFromTheFutureInDataDir_failsClock() throws Exception {
    // given: the log was written "tomorrow", so the clock went back
    try (ServerSocket up = Gateway.listening()) {
      String url = "tcp://127.0.0.1:" + up.getLocalPort();
      Gateway gw = new Gateway(dir).withKey().depot(url, "", url, Gateway.closedPort());
      Path seg = Files.writeString(gw.data.resolve("00000001.seg"), "x");
      Files.setLastModifiedTime(
          seg,
          java.nio.file.attribute.FileTime.from(java.time.Instant.now().plus(Duration.ofDays(1))));

      // when
      List<Finding> findings =
          doctor(Files.createFile(dir.resolve("sync"))).run(gw.config, f -> {});

      // then
      assertThat(lines(findings))
          .anyMatch(l -> l.startsWith("FAIL clock: ") && l.contains("went back"));
    }
  }

  @Test
  void cli_badTimeout_usageErrorTwo() {
    assertThat(io.haulproof.agent.cli.Main.run("doctor", "--timeout-ms", "0")).isEqualTo(2);
  }

  @Test
  void cli_missingConfig_exitOne() {
    assertThat(
            io.haulproof.agent.cli.Main.run(
                "doctor", "--config", dir.resolve("none.yaml").toString()))
        .isEqualTo(1);
  }

  private static Doctor doctor(Path syncFlag) {
    Clock clock = Clock.systemUTC();
    return new Doctor(
        List.of(
            new KeystoreCheck(Map.of()),
            new CertificateCheck(clock),
            new BrokerCheck(TIMEOUT),
            new SensorCheck(TIMEOUT),
            new ClockCheck(clock, syncFlag),
            new GnssCheck(TIMEOUT),
            new DiskCheck(),
            new ReceiptCheck(TIMEOUT, clock)));
  }

  private static List<String> lines(List<Finding> findings) {
    return findings.stream().map(Finding::line).toList();
  }
}
