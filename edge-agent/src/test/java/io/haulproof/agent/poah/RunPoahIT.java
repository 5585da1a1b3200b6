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
import io.haulproof.authenticator.truck.PoahProposer;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.block.Block;
import io.haulproof.uplink.testing.MosquittoProcess;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-node PoAh through the production wiring ({@code haulproof run}'s {@link AgentFactory} from
 * a YAML file with a {@code poah:} section), against a real Mosquitto and two {@code haulproof
 * authenticator} nodes as separate processes. The technician enrolls the running truck and, in the
 * same signed initial configuration, names the authenticator set and quorum 2. Every block then
 * becomes final with both signatures; with one node stopped, new blocks stay pending while the
 * truck keeps logging, and they become final once the node is back.
 */
class RunPoahIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String FLEET = "poah-run";
  private static final String DEVICE = "truck-r";
  @TempDir Path dir;

  private static synchronized List<String> cli(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      List<String> lines = new ArrayList<>(o.toString(StandardCharsets.UTF_8).lines().toList());
      lines.add(0, Integer.toString(code));
      return lines;
    } finally {
      System.setOut(out);
    }
  }

  private String yaml(String broker, String poah) throws Exception {
    return """
        device: { id: %s, fleet: %s, dataDir: "%s" }
        rfid:
          - { protocol: fdxb-uart, port: { path: /dev/null }, side: REAR_COMB }
        bins: { enforce: false }
        chain: { blockMaxEntries: 4, blockMaxMs: 100 }
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

  private void runWithTwoAuthenticators() throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.startPlain(dir.resolve("broker"))) {
      Path caDir = dir.resolve("ca");
      assertThat(cli("provision", "init-ca", "--ca-dir", caDir.toString(), "--fleet", FLEET))
          .first()
          .isEqualTo("0");
      FleetCa ca = FleetCa.open(caDir, Clock.systemUTC());
      List<AuthenticatorProcess> nodes = new ArrayList<>();
      List<String> sets = new ArrayList<>(List.of("--set", "poah.quorum=2"));
      for (String name : List.of("auth-1", "auth-2")) {
        Path d = dir.resolve(name);
        byte[] der = PoahSetup.initAuthenticator(d, ca, name).getEncoded();
        sets.addAll(List.of("--set", "poah.authenticator." + name + "=" + encode(der)));
        nodes.add(new AuthenticatorProcess(name, d, broker.url()).start());
      }
      List<String> claim =
          cli("provision", "claim", "--device", DEVICE, "--out", dir.resolve("claim").toString());
      String code = (String) JSON.readValue(claim.get(claim.size() - 1), Map.class).get("claim");
      Files.writeString(
          dir.resolve("agent.yaml"),
          yaml(broker.url(), "poah: { broker: \"%s\" }\n".formatted(broker.url())));

      AgentFactory.Built built =
          AgentFactory.build(
              new ConfigLoader().load(dir.resolve("agent.yaml")), Notifier.none(), 0, "it");
      AgentRuntime runtime = new AgentRuntime(built.parts(), new VertxOptions(), built.metrics());
      built.bind(runtime);
      try {
        runtime.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        // when: enrolled, with the signed set {auth-1, auth-2} and quorum 2
        List<String> enroll = new ArrayList<>(List.of("provision", "enroll"));
        enroll.addAll(
            List.of(
                "--device",
                DEVICE,
                "--claim",
                code,
                "--broker",
                broker.url(),
                "--ca-dir",
                caDir.toString(),
                "--timeout",
                "60"));
        enroll.addAll(sets);
        List<String> enrolled = cli(enroll.toArray(String[]::new));
        assertThat(enrolled.get(0)).as("%s", enrolled).isEqualTo("0");
        config("route.tour=north-1", broker.url());
        Lightchain chain = ((LightchainEvidence) built.parts().evidence()).chain();
        PoahProposer proposer = proposerOf(built);
        // then: every block final, the last (after the set's config entry) with both signatures
        long h1 = awaitSealed(chain);
        PoahFixture.await("blocks up to " + h1 + " final", WAIT, () -> allFinal(proposer, h1));
        assertThat(proposer.tracker().count(h1 - 1)).isEqualTo(2);
        for (AuthenticatorProcess n : nodes) {
          awaitSigned(n, h1 - 1);
        }

        // when: auth-2 stops; quorum 2 cannot be reached
        nodes.get(1).stop();
        config("route.tour=north-2", broker.url());
        // then: logging goes on (the change was applied and logged), the new block stays pending
        long h2 = awaitSealed(chain);
        assertThat(h2).isGreaterThan(h1);
        awaitSigned(nodes.get(0), h2 - 1);
        PoahFixture.await("a block pending", WAIT, () -> pending(built.metrics()) > 0);
        assertThat(proposer.isFinal(h2 - 1)).isFalse();
        assertThat(proposer.tracker().count(h2 - 1)).isLessThanOrEqualTo(1);

        // when: auth-2 returns, then: it asks for what it missed and every block becomes final
        nodes.get(1).start();
        PoahFixture.await("blocks up to " + h2 + " final", WAIT, () -> allFinal(proposer, h2));
        assertThat(proposer.tracker().count(h2 - 1)).isEqualTo(2);
        awaitSigned(nodes.get(1), h2 - 1);
        PoahFixture.await("nothing pending", WAIT, () -> pending(built.metrics()) == 0);
      } finally {
        runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        for (AuthenticatorProcess n : nodes) {
          n.close();
        }
      }
      JsonNode v = PoahFixture.verify(dir.resolve("data"));
      assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
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
    List<String> r =
        cli(
            "provision",
            "mgmt",
            "--device",
            DEVICE,
            "--op",
            "config",
            "--set",
            set,
            "--broker",
            broker,
            "--ca-dir",
            dir.resolve("ca").toString(),
            "--timeout",
            "60");
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
    PoahFixture.await("the proposer started", WAIT, () -> v.proposer() != null);
    return v.proposer();
  }

  /** Waits until every logged entry is in a sealed block; returns the number of blocks. */
  private static long awaitSealed(Lightchain chain) throws Exception {
    PoahFixture.await(
        "every entry sealed",
        WAIT,
        () -> {
          List<Block> blocks = chain.blocks();
          return !blocks.isEmpty()
              && blocks.get(blocks.size() - 1).header().treeSize() == chain.log().size();
        });
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
