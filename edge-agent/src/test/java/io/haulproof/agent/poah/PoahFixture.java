package io.haulproof.agent.poah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.cli.Main;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fleet for PoAh integration tests: a real Mosquitto on a free loopback port, a fleet CA, an
 * operator (provisioning key) and authenticator nodes as separate processes.
 */
final class PoahFixture implements AutoCloseable {
  static final String FLEET = "poah-fleet";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final MosquittoProcess broker;
  final FleetCa ca;
  final OperatorCredentials operator;
  final List<AuthenticatorProcess> nodes = new ArrayList<>();

  PoahFixture(Path dir, int nodeCount) throws Exception {
    this.dir = dir;
    this.broker = MosquittoProcess.startPlain(Files.createDirectories(dir.resolve("broker")));
    this.ca = FleetCa.init(dir.resolve("ca"), FLEET, Clock.systemUTC());
    this.operator =
        OperatorCredentials.issue(ca, "tech", Files.createDirectories(dir.resolve("operator")));
    for (int i = 1; i <= nodeCount; i++) {
      Path d = dir.resolve("auth-" + i);
      PoahSetup.initAuthenticator(d, ca, "auth-" + i);
      nodes.add(new AuthenticatorProcess("auth-" + i, d, broker.url()));
    }
  }

  /** Starts every node (in parallel: JVM start-up dominates) and waits until all are ready. */
  PoahFixture startAll() throws Exception {
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (AuthenticatorProcess n : nodes) {
      Thread t =
          new Thread(
              () -> {
                try {
                  n.start();
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) {
      t.join();
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("a node did not start", errors.get(0));
    }
    return this;
  }

  /** The certificates of the first {@code n} nodes, by name. */
  Map<String, X509Certificate> members(int n) throws Exception {
    Map<String, X509Certificate> m = new LinkedHashMap<>();
    for (AuthenticatorProcess p : nodes.subList(0, n)) {
      m.put(p.name(), PoahSetup.certificateOf(p.dataDir()));
    }
    return m;
  }

  /** A truck with small blocks (8 entries or 50 ms), its events collected. */
  PoahTruck truck(String device, List<Map<String, Object>> events) throws Exception {
    return PoahTruck.open(
        dir.resolve("truck-" + device),
        ca,
        device,
        broker.url(),
        LightchainOptions.defaults(Checkpoint.originFor(FLEET, device)).withBlocks(8, 50),
        events::add);
  }

  Path truckDir(String device) {
    return dir.resolve("truck-" + device);
  }

  /** Runs {@code haulproof chain verify} in this JVM; returns its last stdout line. */
  static synchronized JsonNode verify(Path dataDir) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      Main.run("chain", "verify", "--data-dir", dataDir.toString());
    } finally {
      System.setOut(out);
    }
    List<String> lines = o.toString(StandardCharsets.UTF_8).lines().toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  @Override
  public void close() throws Exception {
    for (AuthenticatorProcess n : nodes) {
      n.stop();
    }
    broker.stop();
  }
}
