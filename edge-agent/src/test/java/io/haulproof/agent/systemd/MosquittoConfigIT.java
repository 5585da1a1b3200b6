package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.FreePort;
import io.haulproof.uplink.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mosquitto configuration the .deb ships ({@code systemd/deb/mosquitto/}) on a real Mosquitto:
 * only the file paths ({@code /etc/haulproof/mosquitto/}) and the three ports are rewritten for the
 * test; listeners, TLS, ACLs and the packet size cap are the shipped lines.
 */
@Timeout(180)
class MosquittoConfigIT {
  private static final Path SHIPPED = Path.of("..", "systemd", "deb", "mosquitto");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private TestPki techPki;
  private TestPki nodePki;
  private int agentPort;
  private int techPort;
  private int nodePort;
  private Path agentOut;

  @BeforeEach
  void startBroker() throws Exception {
    techPki = TestPki.create(dir.resolve("tech-pki"), "Technician CA");
    nodePki = TestPki.create(dir.resolve("node-pki"), "Node CA");
    Path etc = Files.createDirectories(dir.resolve("etc"));
    TestPki.Issued server = techPki.server("truck-broker");
    Files.copy(techPki.caPem(), etc.resolve("technician-ca.pem"));
    Files.copy(nodePki.caPem(), etc.resolve("node-ca.pem"));
    Files.copy(server.certPem(), etc.resolve("broker.crt"));
    Files.copy(server.keyPem(), etc.resolve("broker.key"));
    for (String acl : List.of("agent.acl", "technician.acl", "node.acl")) {
      Files.copy(SHIPPED.resolve(acl), etc.resolve(acl));
    }
    agentPort = FreePort.tcp();
    techPort = FreePort.tcp();
    nodePort = FreePort.tcp();
    String shipped = Files.readString(SHIPPED.resolve("haulproof.conf"));
    assertThat(shipped)
        .contains("listener 1883 127.0.0.1\n", "listener 8883\n", "listener 8884\n")
        .contains("max_packet_size 262144");
    String conf =
        "user "
            + System.getProperty("user.name")
            + "\nlog_dest file "
            + dir.resolve("mosquitto.log")
            + "\nlog_type all\npersistence false\n"
            + shipped
                .replace("/etc/haulproof/mosquitto/", etc + "/")
                .replace("listener 1883 127.0.0.1\n", "listener " + agentPort + " 127.0.0.1\n")
                .replace("listener 8883\n", "listener " + techPort + "\n")
                .replace("listener 8884\n", "listener " + nodePort + "\n");
    Files.writeString(dir.resolve("mosquitto.conf"), conf);
    processes.add(
        new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start());
    for (int port : new int[] {agentPort, techPort, nodePort}) {
      assertThat(FreePort.awaitAccepting(port, WAIT))
          .as("port %d; %s", port, Files.readString(dir.resolve("mosquitto.out")))
          .isTrue();
    }
    // the agent on the loopback listener, anonymous, subscribed to its whole tree
    agentOut = dir.resolve("agent.out");
    processes.add(
        new ProcessBuilder(
                "stdbuf",
                "-oL",
                "mosquitto_sub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(agentPort),
                "-V",
                "mqttv5",
                "-q",
                "1",
                "-d",
                "-v",
                "-t",
                "haulproof/v1/#")
            .redirectErrorStream(true)
            .redirectOutput(agentOut.toFile())
            .start());
    Await.until(() -> agentSaw("SUBACK"), WAIT, "agentSaw(\"SUBACK\")");
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void technician_tlsClientCertificate_managementRequestReachesTheAgent() throws Exception {
    // when
    int exit = tech("haulproof/v1/acme/truck-7/mgmt/req", "req-1");
    // then
    assertThat(exit).isZero();
    Await.until(
        () -> agentSaw("haulproof/v1/acme/truck-7/mgmt/req req-1"),
        WAIT,
        "agentSaw(\"haulproof/v1/acme/truck-7/mgmt/req req-1\")");
  }

  @Test
  void technician_publishesReadingOrEntry_deniedByAcl() throws Exception {
    // when: forbidden topics, then an allowed one on the same listener
    tech("haulproof/v1/acme/nodes/bin-7/readings", "forged-reading");
    tech("haulproof/v1/acme/truck-7/entries", "forged-entry");
    tech("haulproof/v1/acme/truck-7/mgmt/req", "after-forgeries");
    // then: the allowed one arrives, the forgeries never did
    Await.until(() -> agentSaw("after-forgeries"), WAIT, "agentSaw(\"after-forgeries\")");
    assertThat(Files.readString(agentOut)).doesNotContain("forged-reading", "forged-entry");
  }

  @Test
  void node_ownReadingsOnly_otherNodesTopicDenied() throws Exception {
    // when
    int own = node("bin-7", "haulproof/v1/acme/nodes/bin-7/readings", "reading-7");
    node("bin-7", "haulproof/v1/acme/nodes/bin-8/readings", "spoofed-8");
    node("bin-7", "haulproof/v1/acme/truck-7/mgmt/req", "node-as-technician");
    node("bin-7", "haulproof/v1/acme/nodes/bin-7/readings", "after-spoof");
    // then
    assertThat(own).isZero();
    Await.until(() -> agentSaw("after-spoof"), WAIT, "agentSaw(\"after-spoof\")");
    String seen = Files.readString(agentOut);
    assertThat(seen).contains("haulproof/v1/acme/nodes/bin-7/readings reading-7");
    assertThat(seen).doesNotContain("spoofed-8", "node-as-technician");
  }

  @Test
  void technicianListener_noClientCertificateOrWrongCa_refused() throws Exception {
    // when: no client certificate; a node certificate on the technician listener; no TLS at all
    String topic = "haulproof/v1/acme/truck-7/mgmt/req";
    int noCert = pub(techPort, null, List.of("-t", topic, "-m", "no-cert"));
    int wrongCa = pub(techPort, nodePki.client("bin-7"), List.of("-t", topic, "-m", "wrong-ca"));
    int plain =
        run(
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(techPort),
            "-V",
            "mqttv5",
            "-q",
            "1",
            "-t",
            topic,
            "-m",
            "plain");
    tech(topic, "after-refusals");
    // then
    assertThat(noCert).isNotZero();
    assertThat(wrongCa).isNotZero();
    assertThat(plain).isNotZero();
    Await.until(() -> agentSaw("after-refusals"), WAIT, "agentSaw(\"after-refusals\")");
    assertThat(Files.readString(agentOut)).doesNotContain("no-cert", "wrong-ca", " plain");
  }

  @Test
  void technician_packetOverMaxPacketSize_droppedAndDisconnected() throws Exception {
    // given a 300 KiB message, over the shipped 256 KiB cap
    Path big = dir.resolve("big.bin");
    Files.writeString(big, "B".repeat(300 * 1024));
    // when
    pub(
        techPort,
        techPki.client("tech-bob"),
        List.of("-t", "haulproof/v1/acme/truck-7/mgmt/req", "-f", big.toString()));
    tech("haulproof/v1/acme/truck-7/mgmt/req", "after-big");
    // then
    Await.until(() -> agentSaw("after-big"), WAIT, "agentSaw(\"after-big\")");
    assertThat(Files.readString(agentOut)).doesNotContain("BBBBBBBBBBBBBBBB");
    assertThat(Files.readString(dir.resolve("mosquitto.log"))).contains("tech-bob");
  }

  private int tech(String topic, String message) throws Exception {
    return pub(techPort, techPki.client("tech-alice"), List.of("-t", topic, "-m", message));
  }

  private int node(String id, String topic, String message) throws Exception {
    return pub(nodePort, nodePki.client(id), List.of("-t", topic, "-m", message));
  }

  /**
   * {@code mosquitto_pub} over TLS to {@code localhost:port} (server checked against the technician
   * CA, which signed the broker's certificate), QoS 1, with {@code client}'s certificate if given.
   */
  private int pub(int port, TestPki.Issued client, List<String> rest) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "mosquitto_pub",
                "-h",
                "localhost",
                "-p",
                Integer.toString(port),
                "-V",
                "mqttv5",
                "-q",
                "1",
                "--cafile",
                techPki.caPem().toString()));
    if (client != null) {
      cmd.addAll(
          List.of("--cert", client.certPem().toString(), "--key", client.keyPem().toString()));
    }
    cmd.addAll(rest);
    return run(cmd.toArray(String[]::new));
  }

  private int run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("cmd-" + System.nanoTime() + ".out").toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }

  private boolean agentSaw(String text) {
    try {
      return Files.readString(agentOut, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }
}
