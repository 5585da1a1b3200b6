package io.haulproof.agent.demo;

import io.haulproof.agent.poah.PoahSetup;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.authenticator.truck.PoahProposer;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code haulproof demo --authenticators N --quorum Q}: N authenticator nodes, each a separate
 * {@code haulproof authenticator} process with its own data dir and a certificate from the demo
 * fleet CA, talking to the demo truck only over the broker (a Mosquitto the demo starts for itself
 * when no {@code --broker} is given). The truck logs the signed configuration naming the set and
 * quorum, proposes every block, and the demo waits until every block is final.
 */
public final class PoahDemo implements DemoRunner.ChainHook, AutoCloseable {
  private final Path dataDir;
  private final int nodes;
  private final int quorum;
  private final PrintStream progress;
  private final NodeProcesses processes;
  private LocalMosquitto broker;
  private FleetCa ca;
  private OperatorCredentials operator;
  private final Map<String, X509Certificate> members = new LinkedHashMap<>();
  private ConnectionSupervisor mqtt;
  private PoahProposer proposer;
  private long finalBlocks;
  private long pending;

  public PoahDemo(Path dataDir, int nodes, int quorum, PrintStream progress) {
    if (nodes < 1 || quorum < 1 || quorum > nodes) {
      throw new IllegalArgumentException(
          "--quorum must be in 1..--authenticators; got " + quorum + " of " + nodes);
    }
    this.dataDir = dataDir;
    this.nodes = nodes;
    this.quorum = quorum;
    this.progress = progress;
    this.processes = new NodeProcesses(progress);
  }

  /**
   * Starts the broker (if {@code brokerUrl} is null), sets up and starts the nodes; returns the
   * broker URL everything uses.
   */
  public String prepare(String brokerUrl) throws Exception {
    Files.createDirectories(dataDir);
    String url = brokerUrl;
    if (url == null) {
      broker = LocalMosquitto.start(dataDir.resolve("demo-broker"));
      url = broker.url();
      progress.println("haulproof demo: started a local Mosquitto on " + url);
    }
    ca = DemoWitness.fleetCa(dataDir, DemoRunner.FLEET);
    Path opDir = dataDir.resolve("demo-operator");
    operator =
        Files.exists(opDir.resolve("operator.key"))
            ? OperatorCredentials.open(opDir)
            : OperatorCredentials.issue(ca, "demo-operator", Files.createDirectories(opDir));
    List<Path> dirs = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      Path d = dataDir.resolve("authenticators").resolve("auth-" + i);
      members.put("auth-" + i, PoahSetup.initAuthenticator(d, ca, "auth-" + i));
      dirs.add(d);
    }
    processes.start(url, dirs);
    progress.printf(
        "haulproof demo: %d authenticator nodes running as separate processes (pids %s), quorum %d%n",
        nodes, processes.pids(), quorum);
    return url;
  }

  @Override
  public void opened(Lightchain chain, String brokerUrl, X509Certificate deviceCert)
      throws Exception {
    mqtt =
        new ConnectionSupervisor(
            new PahoTransport(),
            MqttSettings.of(brokerUrl, "haulproof-poah-" + DemoRunner.DEVICE)
                .withPersistentSession(24 * 3600)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2)));
    proposer =
        new PoahProposer(
            chain,
            ca.fleet(),
            DemoRunner.DEVICE,
            List.of(Certificates.der(deviceCert)),
            mqtt,
            e -> {
              if (!"final".equals(e.get("event"))) {
                progress.println("haulproof demo: poah " + e);
              }
            });
    proposer.start();
    mqtt.start();
    chain
        .append(
            PoahSetup.configEntry(
                operator,
                new DeviceRef(ca.fleet(), DemoRunner.DEVICE),
                System.currentTimeMillis(),
                Map.of(),
                PoahSetup.values(quorum, members)))
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public void beforeStop(Lightchain chain) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int sealed = chain.blocks().size();
    progress.printf("haulproof demo: waiting until all %d blocks are final%n", sealed);
    while (proposer.pending() > 0 || chain.blocks().size() != sealed) {
      if (System.nanoTime() > deadline) {
        progress.printf("haulproof demo: %d blocks still pending%n", proposer.pending());
        break;
      }
      Thread.sleep(20);
      sealed = chain.blocks().size();
    }
    pending = proposer.pending();
    finalBlocks = sealed - pending;
    mqtt.close();
    proposer.close();
  }

  public long finalBlocks() {
    return finalBlocks;
  }

  public long pending() {
    return pending;
  }

  @Override
  public void close() {
    processes.close();
    if (broker != null) {
      broker.close();
    }
  }
}
