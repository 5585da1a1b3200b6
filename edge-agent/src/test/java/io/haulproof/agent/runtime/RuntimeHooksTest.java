package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.agent.mgmt.ConfigSnapshot;
import io.haulproof.agent.status.StatusBoard;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.testing.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeHooksTest {

  @Test
  void configApplied_routeKeys_reachTheLiftAssemblerAndCalibrationShowsInInventory()
      throws Exception {
    // given
    Vertx vertx = Vertx.vertx();
    try {
      vertx.eventBus().registerDefaultCodec(RouteChange.class, new LocalCodec<>(RouteChange.class));
      List<RouteChange> seen = new CopyOnWriteArrayList<>();
      vertx.eventBus().<RouteChange>localConsumer(Addresses.ROUTE, m -> seen.add(m.body()));
      RuntimeHooks hooks = new RuntimeHooks("t");
      hooks.bind(vertx, new StatusBoard("d"));
      TreeMap<String, String> values = new TreeMap<>();
      values.put("route.tour", "north-7");
      values.put("route.crew", "crew-2");
      values.put("calibration.rear.span", "1.0002");
      // when
      hooks.configApplied(new ConfigSnapshot(3, values));
      // then
      Await.until(() -> !seen.isEmpty(), Duration.ofSeconds(30), "the config hook to run");
      assertThat(seen).containsExactly(new RouteChange("north-7", "crew-2"));
      assertThat(hooks.inventory().get("calibration"))
          .isEqualTo(java.util.Map.of("calibration.rear.span", "1.0002"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /**
   * Every {@code --set KEY=VALUE} of a config or enroll example in the provisioning runbook is
   * accepted; {@code uplink.broker} is reported as applied at the next restart, and the overlay
   * applies it (and the route) when the agent starts.
   */
  @Test
  void configApplied_everyRunbookExampleKey_acceptedAndRestartKeysReported() throws Exception {
    // given the runbook's examples
    String runbook =
        java.nio.file.Files.readString(Path.of("..", "firmware-notes", "provisioning-runbook.md"));
    TreeMap<String, String> values = new TreeMap<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("--set ([a-z0-9_.-]+)=(\\S+)").matcher(runbook);
    while (m.find()) {
      int line = runbook.lastIndexOf('\n', m.start());
      String context = runbook.substring(line + 1, m.start());
      if (!context.contains("--op calibrate")) {
        values.put(m.group(1), m.group(2));
      }
    }
    assertThat(values).containsKeys("uplink.broker", "route.tour", "route.crew");
    RuntimeHooks hooks = new RuntimeHooks("t");
    io.haulproof.agent.config.AgentConfig yaml =
        new io.haulproof.agent.config.ConfigLoader()
            .parse(
                """
                device: { id: truck-7, fleet: acme }
                rfid: [ { protocol: fdxb-uart, port: { path: /dev/null }, side: REAR_COMB } ]
                bins: { enforce: false }
                uplink: { broker: "ssl://old.example:8883", tls: { ca: /ca.pem } }
                """);
    hooks.uplinkConfig(yaml.uplink());
    ConfigSnapshot before = new ConfigSnapshot(1, new TreeMap<>());
    ConfigSnapshot after = new ConfigSnapshot(2, values);
    // when
    hooks.configApplied(after);
    List<String> restart = hooks.restartRequired(before, after);
    io.haulproof.agent.config.AgentConfig started = ConfigOverlay.apply(yaml, values);
    // then
    assertThat(restart).containsExactly("uplink.broker");
    assertThat(started.uplink().broker()).isEqualTo(values.get("uplink.broker"));
    assertThat(started.route().tour()).isEqualTo(values.get("route.tour"));
    // an ssl:// uplink is never switched to tcp:// by management
    TreeMap<String, String> downgrade =
        new TreeMap<>(java.util.Map.of("uplink.broker", "tcp://x:1883"));
    assertThatThrownBy(() -> hooks.configApplied(new ConfigSnapshot(3, downgrade)))
        .hasMessageContaining("never downgraded");
  }

  @Test
  void configApplied_poahSetAndQuorum_acceptedAndAnImpossibleQuorumRefused(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    io.haulproof.agent.provision.FleetCa ca =
        io.haulproof.agent.provision.FleetCa.init(dir, "f", java.time.Clock.systemUTC());
    java.util.Map<String, java.security.cert.X509Certificate> members =
        new java.util.LinkedHashMap<>();
    for (String n : List.of("a1", "a2")) {
      members.put(
          n,
          ca.issueAuthenticator(
              n, io.haulproof.agent.provision.Certificates.newP256KeyPair().getPublic()));
    }
    RuntimeHooks hooks = new RuntimeHooks("t");
    TreeMap<String, String> ok =
        new TreeMap<>(io.haulproof.agent.poah.PoahSetup.values(2, members));
    hooks.configApplied(new ConfigSnapshot(1, ok));
    TreeMap<String, String> bad =
        new TreeMap<>(io.haulproof.agent.poah.PoahSetup.values(3, members));
    assertThatThrownBy(() -> hooks.configApplied(new ConfigSnapshot(2, bad)))
        .hasMessageContaining("poah.quorum 3 not in 1..2");
    TreeMap<String, String> device = new TreeMap<>(ok);
    device.put(
        "poah.authenticator.a1",
        java.util.Base64.getEncoder().encodeToString(ca.root().getEncoded()));
    assertThatThrownBy(() -> hooks.configApplied(new ConfigSnapshot(3, device)))
        .hasMessageContaining("lacks the role");
  }

  @Test
  void configApplied_unknownKey_isRefusedSoTheServiceRollsBack() {
    RuntimeHooks hooks = new RuntimeHooks("t");
    TreeMap<String, String> values = new TreeMap<>();
    values.put("scale.rear.filter", "3");
    assertThatThrownBy(() -> hooks.configApplied(new ConfigSnapshot(1, values)))
        .hasMessageContaining("scale.rear.filter");
  }

  @Test
  void keyChangedAndAppend_beforeTheLogOpens_areRefusedAndAfterwardsTheLogSwitchesKey(
      @TempDir Path dir) throws Exception {
    RuntimeHooks hooks = new RuntimeHooks("t");
    SoftwareDeviceKey next =
        SoftwareDeviceKey.generate(io.haulproof.lightchain.crypto.CoseAlgorithm.ES256);
    assertThatThrownBy(() -> hooks.appendEvidence(null)).hasMessageContaining("not open yet");
    assertThatThrownBy(() -> hooks.keyChanged(next)).hasMessageContaining("not open yet");
    try (Lightchain chain =
        Lightchain.open(
            dir,
            FileKeyStore.openOrCreate(dir),
            "dev-1",
            LightchainOptions.defaults("haulproof.io/v1/f/dev-1"))) {
      hooks.attach(chain);
      hooks.keyChanged(next);
      assertThat(chain.log().key().kid()).isEqualTo(next.kid());
    }
  }

  @Test
  void keyChanged_withUplink_statusNamesTheNewKid(@TempDir Path dir) throws Exception {
    // given a running log and an uplink that records what its status message would name
    RuntimeHooks hooks = new RuntimeHooks("t");
    java.util.List<io.haulproof.lightchain.crypto.Kid> announced =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    UplinkPort uplink =
        new UplinkPort() {
          @Override
          public java.util.concurrent.CompletionStage<Void> start() {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
          }

          @Override
          public void poke() {}

          @Override
          public Stats stats() {
            return new Stats(false, 0, 0, 0, 0, null, null);
          }

          @Override
          public java.util.concurrent.CompletionStage<Void> stop() {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
          }

          @Override
          public void keyRotated(io.haulproof.lightchain.crypto.Kid kid) {
            announced.add(kid);
          }
        };
    SoftwareDeviceKey next =
        SoftwareDeviceKey.generate(io.haulproof.lightchain.crypto.CoseAlgorithm.ES256);
    try (Lightchain chain =
        Lightchain.open(
            dir,
            FileKeyStore.openOrCreate(dir),
            "dev-1",
            LightchainOptions.defaults("haulproof.io/v1/f/dev-1"))) {
      hooks.attach(chain);
      hooks.attachUplink(uplink);
      // when
      hooks.keyChanged(next);
      // then
      assertThat(announced).containsExactly(next.kid());
    }
  }
}
