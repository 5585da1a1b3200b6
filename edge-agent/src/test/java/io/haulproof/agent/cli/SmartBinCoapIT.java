package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.agent.testing.CoapPost;
import io.haulproof.agent.testing.RunningAgent;
import io.haulproof.agent.testing.SmartBin;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.ReadingBody;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smart-bin readings over CoAP into {@code haulproof run}, posted with the real libcoap client:
 * issue 13 hole 3 (2.04 only once the reading is durable; 5.03 while the log cannot write, on a
 * small full tmpfs; recovery once space is freed) and hole 4 (a reading replayed after a restart is
 * refused, the counters being rebuilt from the log).
 */
class SmartBinCoapIT {
  @TempDir Path dir;

  @Test
  void run_diskFullThenFreed_answers503WhileFullAndEveryAnswered204IsInTheLog() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          Path disk = Files.createDirectories(dir.resolve("disk"));
          mount(disk, "16m");
          try {
            // given: the agent's data dir on a 16 MiB tmpfs
            SmartBin bin = new SmartBin("bin-1", dir.resolve("bin"));
            int port = freeUdpPort();
            Path config = config(disk.resolve("data"), port, bin);
            List<Long> answered204 = new ArrayList<>();
            try (RunningAgent agent = RunningAgent.start(config, dir.resolve("agent.err"))) {
              for (long c = 1; c <= 3; c++) {
                assertThat(CoapPost.readings(port, bin.reading(c), dir))
                    .as(agent.stderr())
                    .isEqualTo("2.04");
                answered204.add(c);
              }
              // when: the disk fills up (a filler leaves less than the log's reserve)
              Path filler = disk.resolve("filler");
              long free = Files.getFileStore(disk).getUsableSpace();
              Files.write(filler, new byte[(int) (free - (1 << 20))]);
              List<String> whileFull = new ArrayList<>();
              for (long c = 4; c <= 6; c++) {
                whileFull.add(CoapPost.readings(port, bin.reading(c), dir));
              }
              // and space is freed again, and the node retries the same readings
              Files.delete(filler);
              List<String> afterwards = new ArrayList<>();
              for (long c = 4; c <= 6; c++) {
                String code = CoapPost.readings(port, bin.reading(c), dir);
                afterwards.add(code);
                if (code.equals("2.04")) {
                  answered204.add(c);
                }
              }
              // then
              assertThat(whileFull).as(agent.stderr()).containsOnly("5.03");
              assertThat(afterwards).as(agent.stderr()).containsOnly("2.04");
              assertThat(agent.stop()).as("exit after SIGTERM").isIn(0, 143);
            }
            assertThat(loggedCounters(disk.resolve("data"))).isEqualTo(answered204);
          } finally {
            umount(disk);
          }
        });
  }

  @Test
  void run_readingReplayedAfterRestart_refusedAndLoggedOnce() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          // given: a reading accepted before a restart
          SmartBin bin = new SmartBin("bin-2", dir.resolve("bin"));
          int port = freeUdpPort();
          Path config = config(dir.resolve("data"), port, bin);
          Path first = bin.reading(41);
          try (RunningAgent agent = RunningAgent.start(config, dir.resolve("agent.err"))) {
            assertThat(CoapPost.readings(port, first, dir)).isEqualTo("2.04");
            assertThat(agent.stop()).as("exit after SIGTERM").isIn(0, 143);
          }
          // when: the same bytes are posted again after the restart, then an older counter
          String replay;
          String older;
          String next;
          try (RunningAgent agent = RunningAgent.start(config, dir.resolve("agent.err"))) {
            replay = CoapPost.readings(port, first, dir);
            older = CoapPost.readings(port, bin.reading(40), dir);
            next = CoapPost.readings(port, bin.reading(42), dir);
            assertThat(agent.stop()).as("exit after SIGTERM").isIn(0, 143);
          }
          // then
          assertThat(replay).isEqualTo("4.03");
          assertThat(older).isEqualTo("4.03");
          assertThat(next).isEqualTo("2.04");
          assertThat(loggedCounters(dir.resolve("data"))).containsExactly(41L, 42L);
        });
  }

  private Path config(Path data, int port, SmartBin bin) throws IOException {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        device: { id: depot-it, fleet: it-fleet, dataDir: "%s" }
        remote: { coapPort: %d, nodesFile: "%s" }
        http: { port: 0 }
        """
                .formatted(data, port, bin.nodesFile())
            + AgentYaml.keystore(data));
    return config;
  }

  /** The node counters of the reading entries in the log, in log order. */
  private static List<Long> loggedCounters(Path data) throws IOException {
    List<Long> out = new ArrayList<>();
    try (ChainReader reader = ChainReader.open(data)) {
      for (long i = 0; i < reader.size(); i++) {
        Entry e = EntryCodec.decode(CoseSign1.decode(reader.read(i)));
        if (e.body() instanceof ReadingBody r) {
          out.add(NodePayload.decode(CoseSign1.decode(r.nodeCose()).payload()).counter());
        }
      }
    }
    return out;
  }

  private static void mount(Path at, String size) throws Exception {
    run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", at.toString());
  }

  private static void umount(Path at) throws Exception {
    // lazy: a process still holding a file must not turn a test failure into an unmount failure
    run("umount", "-l", at.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("%s: %s", String.join(" ", command), new String(p.getInputStream().readAllBytes()))
        .isZero();
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }
}
