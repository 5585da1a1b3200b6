package io.haulproof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.cli.Main;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.lightchain.testing.SocatPtyPair;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof doctor} on a truck whose scale and GNSS receiver are serial pseudo-terminals
 * made by socat, the GNSS one fed with real NMEA sentences, and whose RFID reader is unplugged.
 */
class DoctorIT {
  private static final String RMC_FIX =
      "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A";
  private static final String RMC_NO_FIX = "$GPRMC,123519,V,,,,,,,230394,,*33";

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(10));
  private final AtomicBoolean feeding = new AtomicBoolean(true);

  @AfterEach
  void stop() throws Exception {
    feeding.set(false);
    children.close();
  }

  @Test
  void doctor_scaleAndGnssAnswerRfidUnplugged_reportsEachAndExitsOne() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given
          Path scale = ptyPair("scale");
          Path gnss = ptyPair("gnss");
          feed(dir.resolve("gnss-peer"), RMC_FIX);
          try (ServerSocket uplink = Gateway.listening()) {
            Path config =
                truck(scale, dir.resolve("ttyUSB9-unplugged"), gnss, uplink.getLocalPort());

            // when
            Run run = doctor(config);

            // then
            assertThat(run.exit).isEqualTo(1);
            assertThat(run.lines())
                .anyMatch(
                    l ->
                        l.equals("OK   scale (toledo): " + scale + " opens (9600 baud configured)"))
                .anyMatch(
                    l ->
                        l.startsWith("FAIL rfid rear-comb (fdxb-uart): ")
                            && l.contains("does not exist"))
                .anyMatch(l -> l.startsWith("OK   gnss receiver: " + gnss + " opens"))
                .anyMatch(
                    l ->
                        l.startsWith(
                            "OK   gnss: fix from " + gnss + " (GPRMC at 48.11730, 11.51667)"))
                .anyMatch(l -> l.startsWith("OK   uplink broker: "));
          }
        });
  }

  @Test
  void doctor_gnssWithoutFix_warnsAndAllSensorsPresent_exitsZero() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given: every port present, the receiver talks but has no fix (indoors)
          Path scale = ptyPair("scale");
          Path rfid = ptyPair("rfid");
          Path gnss = ptyPair("gnss");
          feed(dir.resolve("gnss-peer"), RMC_NO_FIX);
          try (ServerSocket uplink = Gateway.listening()) {
            Path config = truck(scale, rfid, gnss, uplink.getLocalPort());
            new Gateway(dir).withKey();

            // when
            Run run = doctor(config);

            // then
            assertThat(run.lines())
                .noneMatch(l -> l.startsWith("FAIL"))
                .anyMatch(l -> l.startsWith("WARN gnss: receiver on " + gnss + " talks"));
            assertThat(run.exit).isZero();
          }
        });
  }

  @Test
  void doctor_silentGnss_fails() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          // given: the receiver's port exists but nothing comes out of it
          Path scale = ptyPair("scale");
          Path gnss = ptyPair("gnss");
          try (ServerSocket uplink = Gateway.listening()) {
            Path config = truck(scale, scale, gnss, uplink.getLocalPort());

            // when
            Run run = doctor(config);

            // then
            assertThat(run.lines()).anyMatch(l -> l.startsWith("FAIL gnss: no data from " + gnss));
            assertThat(run.exit).isEqualTo(1);
          }
        });
  }

  private record Run(int exit, String out) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Run doctor(Path config) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int exit;
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = Main.run("doctor", "--config", config.toString(), "--timeout-ms", "4000");
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.print(out);
    return new Run(exit, out);
  }

  /**
   * Starts socat with a linked pair of ptys: {@code name} (for the doctor) and {@code name-peer}
   * (for the test).
   */
  private Path ptyPair(String name) throws Exception {
    return children.add(SocatPtyPair.named(dir, name)).a();
  }

  /**
   * Writes {@code sentence} to the peer pty every 100 ms until the test ends, like a 10 Hz
   * receiver.
   */
  private void feed(Path peer, String sentence) {
    Thread t =
        new Thread(
            () -> {
              try (OutputStream out = Files.newOutputStream(peer)) {
                while (feeding.get()) {
                  out.write((sentence + "\r\n").getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  Thread.sleep(100);
                }
              } catch (Exception e) {
                if (feeding.get()) {
                  throw new IllegalStateException("feeding " + peer + " failed", e);
                }
              }
            },
            "nmea-feed");
    t.setDaemon(true);
    t.start();
  }

  private Path truck(Path scale, Path rfid, Path gnss, int uplinkPort) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        device:
          id: truck-0042
          fleet: acme-waste
          dataDir: %s
        scale:
          protocol: toledo
          port: { path: %s, baud: 9600 }
          unit: kg
          interval: 0.5
          min: 10
          max: 500
          instrument:
            approval: DE-M-21-0042
            serial: RL-SC-99120
            calibrationDate: "2026-03-01"
        rfid:
          - protocol: fdxb-uart
            port: { path: %s, baud: 9600 }
            lifter: rear-comb
            side: REAR_COMB
        gps:
          source: nmea
          port: { path: %s, baud: 9600 }
        uplink:
          broker: tcp://127.0.0.1:%d
        http:
          port: %d
        """
            .formatted(data, scale, rfid, gnss, uplinkPort, Gateway.closedPort()));
    return config;
  }
}
