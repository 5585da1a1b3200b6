package io.haulproof.agent.poah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.cli.Main;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.runtime.AgentFactory;
import io.haulproof.agent.runtime.AgentRuntime;
import io.haulproof.agent.runtime.LightchainEvidence;
import io.haulproof.agent.runtime.Notifier;
import io.haulproof.agent.runtime.PoahVerticle;
import io.haulproof.agent.testing.AgentYaml;
import io.haulproof.agent.testing.InProcessCli;
import io.haulproof.authenticator.truck.PoahProposer;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TestPki;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.VertxOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-node PoAh through the production wiring ({@code haulproof run}'s {@link AgentFactory} from
 * a YAML file with a {@code poah:} section), against a real Mosquitto and two {@code haulproof
 * authenticator} nodes as separate processes. The technician enrolls the running truck and, in the
 * same signed initial configuration, names the authenticator set and quorum 2. Every block then
 * becomes final with both signatures; with one node stopped, new blocks stay pending while the
 * truck keeps logging, and they become final once the node is back.
 */
@ExtendWith(EventLoopGuard.class)
class RunPoahIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String FLEET = "poah-run";
  private static final String DEVICE = "truck-r";
  @TempDir Path dir;

  private String yaml(String broker, String poah) throws Exception {
    return """
        device: { id: %s, fleet: %s, dataDir: "%s" }
        rfid:
          - { protocol: fdxb-uart, port: { path: /dev/null }, side: REAR_COMB }
        bins: { enforce: false }
        chain: { blockMaxEntries: 4, blockMaxMs: 100 }
        http: { port: 0 }
        management: { broker: "%s", fleetRoot: "%s", claimFile: "%s" }
        """
            .formatted(
                DEVICE,
                FLEET,
                dir.resolve("data"),
                broker,
                dir.resolve("ca").resolve("root.crt"),
                dir.resolve("claim"))
        + poah
        + AgentYaml.keystore(dir.resolve("data"));
  }

  @Test
  void run_poahSectionAndSignedSetOfTwo_blocksFinalStallWithoutQuorumThenFinalize() {
    assertTimeoutPreemptively(Duration.ofMinutes(6), this::runWithTwoAuthenticators);
  }

  /** A truck run from YAML by {@code run}'s wiring, enrolled with a signed PoAh set. */
  private record Truck(AgentFactory.Built built, AgentRuntime runtime, Lightchain chain)
      implements AutoCloseable {
    PoahProposer proposer() throws Exception {
      return proposerOf(built);
    }

    @Override
    public void close() throws Exception {
      runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private FleetCa initCa() throws Exception {
    Path caDir = dir.resolve("ca");
    assertThat(
            InProcessCli.run(
                "provision", "init-ca", "--ca-dir", caDir.toString(), "--fleet", FLEET))
        .first()
        .isEqualTo("0");
    return FleetCa.open(caDir, Clock.systemUTC());
  }

  /**
   * Starts {@code names} as authenticator processes on {@code broker} (with {@code extraArgs});
   * returns them and adds to {@code sets} the {@code --set} flags that name them.
   */
  private List<AuthenticatorProcess> startNodes(
      FleetCa ca, List<String> names, String broker, List<String> extraArgs, List<String> sets)
      throws Exception {
    List<AuthenticatorProcess> nodes = new ArrayList<>();
    for (String name : names) {
      Path d = dir.resolve(name);
      byte[] der = PoahSetup.initAuthenticator(d, ca, name).getEncoded();
      sets.addAll(List.of("--set", "poah.authenticator." + name + "=" + encode(der)));
      nodes.add(new AuthenticatorProcess(name, d, broker, extraArgs).start());
    }
    return nodes;
  }

  /**
   * Runs the truck with {@code poahYaml} and enrolls it over {@code mgmtBroker} with {@code sets}.
   */
  private Truck startEnrolledTruck(String mgmtBroker, String poahYaml, List<String> sets)
      throws Exception {
    List<String> claim =
        InProcessCli.run(
            "provision", "claim", "--device", DEVICE, "--out", dir.resolve("claim").toString());
    String code = (String) JSON.readValue(claim.get(claim.size() - 1), Map.class).get("claim");
    Files.writeString(dir.resolve("agent.yaml"), yaml(mgmtBroker, poahYaml));
    AgentFactory.Built built =
        AgentFactory.build(
            new ConfigLoader().load(dir.resolve("agent.yaml")), Notifier.none(), 0, "it");
    AgentRuntime runtime = new AgentRuntime(built.parts(), new VertxOptions(), built.metrics());
    built.bind(runtime);
    Truck truck =
        new Truck(built, runtime, ((LightchainEvidence) built.parts().evidence()).chain());
    try {
      runtime.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<String> enroll = new ArrayList<>(List.of("provision", "enroll"));
      enroll.addAll(
          List.of(
              "--device",
              DEVICE,
              "--claim",
              code,
              "--broker",
              mgmtBroker,
              "--ca-dir",
              dir.resolve("ca").toString(),
              "--timeout",
              "60"));
      enroll.addAll(sets);
      List<String> enrolled = InProcessCli.run(enroll.toArray(String[]::new));
      assertThat(enrolled.get(0)).as("%s", enrolled).isEqualTo("0");
      return truck;
    } catch (Exception | AssertionError e) {
      truck.close();
      throw e;
    }
  }

  private void runWithTwoAuthenticators() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
      FleetCa ca = initCa();
      List<String> sets = new ArrayList<>(List.of("--set", "poah.quorum=2"));
      List<AuthenticatorProcess> nodes =
          startNodes(ca, List.of("auth-1", "auth-2"), broker.url(), List.of(), sets);
      try (Truck truck =
          startEnrolledTruck(
              broker.url(), "poah: { broker: \"%s\" }\n".formatted(broker.url()), sets)) {
        // given: enrolled with the signed set {auth-1, auth-2} and quorum 2
        config("route.tour=north-1", broker.url());
        PoahProposer proposer = truck.proposer();
        // then: every block final, the last (after the set's config entry) with both signatures
        long h1 = awaitSealed(truck.chain());
        Await.until(() -> allFinal(proposer, h1), WAIT, "blocks up to " + h1 + " final");
        assertThat(proposer.tracker().count(h1 - 1)).isEqualTo(2);
        for (AuthenticatorProcess n : nodes) {
          awaitSigned(n, h1 - 1);
        }

        // when: auth-2 stops; quorum 2 cannot be reached
        nodes.get(1).stop();
        config("route.tour=north-2", broker.url());
        // then: logging goes on (the change was applied and logged), the new block stays pending
        long h2 = awaitSealed(truck.chain());
        assertThat(h2).isGreaterThan(h1);
        awaitSigned(nodes.get(0), h2 - 1);
        Await.until(() -> pending(truck.built().metrics()) > 0, WAIT, "a block pending");
        assertThat(proposer.isFinal(h2 - 1)).isFalse();
        assertThat(proposer.tracker().count(h2 - 1)).isLessThanOrEqualTo(1);

        // when: auth-2 returns, then: it asks for what it missed and every block becomes final
        nodes.get(1).start();
        Await.until(() -> allFinal(proposer, h2), WAIT, "blocks up to " + h2 + " final");
        assertThat(proposer.tracker().count(h2 - 1)).isEqualTo(2);
        awaitSigned(nodes.get(1), h2 - 1);
        Await.until(() -> pending(truck.built().metrics()) == 0, WAIT, "nothing pending");
      } finally {
        for (AuthenticatorProcess n : nodes) {
          n.close();
        }
      }
      JsonNode v = PoahFixture.verify(dir.resolve("data"));
      assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
      assertThat(v.get("pending").asLong()).as(v.toString()).isZero();
      assertThat(v.get("min_quorum").asInt()).as(v.toString()).isGreaterThanOrEqualTo(1);
      // each node signed every height it was proposed, once
      for (AuthenticatorProcess n : nodes) {
        List<Long> heights =
            n.events().stream()
                .filter(e -> e.path("event").asText().equals("signed"))
                .filter(e -> e.path("chain").asText().equals(DEVICE))
                .map(e -> e.get("height").asLong())
                .toList();
        assertThat(heights).as("%s signs each height once", n.name()).doesNotHaveDuplicates();
      }
    }
  }

  /**
   * PoAh enabled on a truck that rotated its key before: its genesis block was signed by the first
   * key, and a node registers a chain's first key only from a device certificate for it. The
   * proposer sends the certificate of the key that signed the genesis block (kept by the rotation),
   * not the active one's, and every block becomes final.
   */
  @Test
  void run_keyRotatedBeforePoahEnabled_genesisCarriesFirstKeysCertificateAndBlocksFinal()
      throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
      FleetCa ca = initCa();
      List<AuthenticatorProcess> nodes = List.of();
      try (Truck truck =
          startEnrolledTruck(
              broker.url(), "poah: { broker: \"%s\" }\n".formatted(broker.url()), List.of())) {
        // given: an enrolled truck, its genesis block signed by its first key, then a rotation
        awaitSealed(truck.chain());
        Kid first = truck.chain().blocks().get(0).header().proposerKid();
        List<String> rotated =
            InProcessCli.run(
                "provision",
                "mgmt",
                "--device",
                DEVICE,
                "--op",
                "rotate-key",
                "--broker",
                broker.url(),
                "--ca-dir",
                dir.resolve("ca").toString(),
                "--timeout",
                "60");
        assertThat(rotated.get(0)).as("%s", rotated).isEqualTo("0");

        // when: the nodes start only now, and the signed config names them with quorum 2
        List<String> sets = new ArrayList<>(List.of("--set", "poah.quorum=2"));
        nodes = startNodes(ca, List.of("auth-1", "auth-2"), broker.url(), List.of(), sets);
        mgmtConfig(sets, broker.url());

        // then: both nodes took the genesis block (and all after it): every block is final
        PoahProposer proposer = truck.proposer();
        long blocks = awaitSealed(truck.chain());
        Await.until(() -> allFinal(proposer, blocks), WAIT, "blocks up to " + blocks + " final");
        assertThat(proposer.tracker().count(blocks - 1)).isEqualTo(2);
        for (AuthenticatorProcess n : nodes) {
          awaitSigned(n, 0);
          awaitSigned(n, blocks - 1);
        }
        assertThat(truck.chain().blocks().get((int) blocks - 1).header().proposerKid())
            .isNotEqualTo(first);
      } finally {
        for (AuthenticatorProcess n : nodes) {
          n.close();
        }
      }
    }
  }

  /**
   * PoAh over TLS, as a city deploys it: the truck's management broker is its local loopback one,
   * the PoAh broker is central and TLS with client certificates (so a downgrade to tcp:// or a
   * missing certificate could not connect at all). The truck uses its {@code poah.tls}, the node
   * {@code --tls-ca/--tls-cert/--tls-key}, and the block becomes final.
   */
  @Test
  void run_poahOverTls_truckAndNodeUseTheirTlsSettingsAndBlocksFinal() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(4),
        () -> {
          TestPki pki = TestPki.create(dir.resolve("pki"), "PoAh broker CA");
          try (MosquittoProcess local = MosquittoProcess.startPlain(dir.resolve("local"));
              MosquittoProcess central =
                  MosquittoProcess.builder(dir.resolve("central")).tls(pki).start()) {
            assertThat(central.url()).startsWith("ssl://");
            FleetCa ca = initCa();
            TestPki.Issued node = pki.client("auth-tls");
            TestPki.Issued truckTls = pki.client("truck-r-poah");
            List<String> sets = new ArrayList<>(List.of("--set", "poah.quorum=1"));
            List<AuthenticatorProcess> nodes =
                startNodes(
                    ca,
                    List.of("auth-tls"),
                    central.url(),
                    List.of(
                        "--tls-ca", pki.caPem().toString(),
                        "--tls-cert", node.certPem().toString(),
                        "--tls-key", node.keyPem().toString()),
                    sets);
            String poah =
                "poah: { broker: \"%s\", tls: { ca: \"%s\", cert: \"%s\", key: \"%s\" } }\n"
                    .formatted(central.url(), pki.caPem(), truckTls.certPem(), truckTls.keyPem());
            try (Truck truck = startEnrolledTruck(local.url(), poah, sets)) {
              PoahProposer proposer = truck.proposer();
              long h = awaitSealed(truck.chain());
              Await.until(() -> allFinal(proposer, h), WAIT, "blocks up to " + h + " final");
              assertThat(proposer.tracker().count(h - 1)).isEqualTo(1);
              awaitSigned(nodes.get(0), h - 1);
            } finally {
              nodes.get(0).close();
            }
            assertThat(central.logText()).contains("auth-tls").contains("truck-r-poah");
          }
        });
  }

  /** TLS flags with a tcp:// broker are refused before anything connects (never downgraded). */
  @Test
  void authenticator_tlsFlagsWithTcpBroker_exitsTwoNamingTheProblem() throws Exception {
    FleetCa ca = initCa();
    Path d = dir.resolve("auth-x");
    PoahSetup.initAuthenticator(d, ca, "auth-x");
    Path caPem = dir.resolve("ca").resolve("root.crt");
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code =
          Main.run(
              "authenticator",
              "--broker",
              "tcp://127.0.0.1:1",
              "--data-dir",
              d.toString(),
              "--tls-ca",
              caPem.toString());
    } finally {
      System.setErr(err);
    }
    assertThat(code).isEqualTo(2);
    assertThat(e.toString(StandardCharsets.UTF_8)).contains("use ssl://").contains("tcp://");
  }

  /** {@code poah} needs {@code management}: the set comes from signed management config. */
  @Test
  void load_poahWithoutManagement_refusedNamingTheSection() throws Exception {
    Files.writeString(
        dir.resolve("agent.yaml"),
        """
        device: { id: truck-r, fleet: acme, dataDir: "%s" }
        rfid:
          - { protocol: fdxb-uart, port: { path: /dev/null }, side: REAR_COMB }
        bins: { enforce: false }
        poah: { broker: "tcp://127.0.0.1:1883" }
        """
            .formatted(dir.resolve("data")));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ConfigLoader().load(dir.resolve("agent.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("poah")
        .hasMessageContaining("management");
  }

  /** An ssl:// PoAh broker without TLS material is refused, never downgraded. */
  @Test
  void load_poahSslBrokerWithoutTls_refused() throws Exception {
    Files.writeString(
        dir.resolve("agent.yaml"),
        yaml("tcp://127.0.0.1:1883", "poah: { broker: \"ssl://127.0.0.1:8883\" }\n"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ConfigLoader().load(dir.resolve("agent.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls");
  }

  private static String encode(byte[] der) {
    return Base64.getEncoder().encodeToString(der);
  }

  private void config(String set, String broker) {
    mgmtConfig(List.of("--set", set), broker);
  }

  /** A signed {@code config} request with {@code sets} ({@code --set k=v} pairs). */
  private void mgmtConfig(List<String> sets, String broker) {
    List<String> args =
        new ArrayList<>(List.of("provision", "mgmt", "--device", DEVICE, "--op", "config"));
    args.addAll(sets);
    args.addAll(
        List.of("--broker", broker, "--ca-dir", dir.resolve("ca").toString(), "--timeout", "60"));
    List<String> r = InProcessCli.run(args.toArray(String[]::new));
    assertThat(r.get(0)).as("%s", r).isEqualTo("0");
  }

  private static double pending(AgentMetrics m) {
    Gauge g = m.registry().find("haulproof.poah.pending").gauge();
    return g == null ? -1 : g.value();
  }

  private static PoahProposer proposerOf(AgentFactory.Built built) throws Exception {
    PoahVerticle v =
        built.parts().extras().stream()
            .filter(PoahVerticle.class::isInstance)
            .map(PoahVerticle.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("run did not attach the PoAh proposer"));
    Await.until(() -> v.proposer() != null, WAIT, "the proposer started");
    return v.proposer();
  }

  /** Waits until every logged entry is in a sealed block; returns the number of blocks. */
  private static long awaitSealed(Lightchain chain) throws Exception {
    Await.until(
        () -> {
          List<Block> blocks = chain.blocks();
          return !blocks.isEmpty()
              && blocks.get(blocks.size() - 1).header().treeSize() == chain.log().size();
        },
        WAIT,
        "every entry sealed");
    return chain.blocks().size();
  }

  private static boolean allFinal(PoahProposer p, long blocks) {
    for (long h = 0; h < blocks; h++) {
      if (!p.isFinal(h)) {
        return false;
      }
    }
    return true;
  }

  private static void awaitSigned(AuthenticatorProcess n, long height) throws Exception {
    n.await(
        "signed height " + height,
        e ->
            e.path("event").asText().equals("signed")
                && e.path("chain").asText().equals(DEVICE)
                && e.path("height").asLong() >= height,
        WAIT);
  }
}
