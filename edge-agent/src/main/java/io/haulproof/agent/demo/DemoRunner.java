package io.haulproof.agent.demo;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.runtime.Addresses;
import io.haulproof.agent.runtime.AgentRuntime;
import io.haulproof.agent.runtime.EntryClock;
import io.haulproof.agent.runtime.LightchainEvidence;
import io.haulproof.agent.runtime.MqttUplinkPort;
import io.haulproof.agent.runtime.Notifier;
import io.haulproof.agent.runtime.RuntimeParts;
import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryKind;
import io.haulproof.lightchain.verify.VerificationResult;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.MqttTransport;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.outbox.Outbox;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code haulproof demo}: a simulated truck route through the real drivers, assembler, log, blocks,
 * checkpoints and uplink, ending with a whole-chain verification (contract: DESIGN.md, "CLI").
 * Entry headers are stamped through the same {@link EntryClock} as {@code haulproof run}: GNSS time
 * from the simulated NMEA track once its fix is valid.
 *
 * <p>Without a broker the witness is the reference ledger running in this process behind an
 * in-memory transport, and stderr says so; with a broker the same uplink talks MQTT to {@code
 * haulproof ledger}.
 */
public final class DemoRunner {
  public static final String FLEET = "demo-fleet";
  public static final String DEVICE = "demo-truck-1";

  private final PrintStream progress;
  private ChainHook hook;

  public DemoRunner(PrintStream progress) {
    this.progress = progress;
  }

  /** Something attached to the demo truck's chain, e.g. multi-node PoAh ({@link PoahDemo}). */
  public interface ChainHook {
    /** The chain is open and the uplink set up on {@code broker}, before any lift. */
    void opened(Lightchain chain, String broker, X509Certificate deviceCert) throws Exception;

    /** Every lift is witnessed and every entry is in a block; the chain closes after this. */
    void beforeStop(Lightchain chain) throws Exception;
  }

  /** Attaches {@code h} to the next {@link #run}. */
  public DemoRunner withChainHook(ChainHook h) {
    this.hook = h;
    return this;
  }

  /**
   * What to run.
   *
   * @param lifts bins on the route
   * @param dataDir evidence, keys, demo CA and witness state; reused (appended to) on a rerun
   * @param broker MQTT broker URL ({@code tcp://host:port}) for uplink and ledger, or null for the
   *     in-process witness
   * @param intervalMs time per lift
   * @param seed route seed
   */
  public record Options(int lifts, Path dataDir, String broker, long intervalMs, long seed) {
    public Options {
      if (lifts < 1) {
        throw new IllegalArgumentException("--lifts must be at least 1, got " + lifts);
      }
      if (intervalMs < 50) {
        throw new IllegalArgumentException(
            "--lift-interval-ms must be at least 50, got " + intervalMs);
      }
      Objects.requireNonNull(dataDir, "dataDir");
    }
  }

  /**
   * The summary line's figures.
   *
   * @param lifts bins visited in this run
   * @param entries entries in the log (all runs)
   * @param blocks authenticated blocks (all runs)
   * @param checkpoints signed checkpoints (one per block)
   * @param witnessed checkpoints the witness cosigned, as receipt entries in the log (all runs)
   * @param verified whether the whole chain verified
   * @param reason why not, when it did not
   */
  public record Summary(
      int lifts,
      long entries,
      long blocks,
      long checkpoints,
      long witnessed,
      boolean verified,
      String reason) {}

  public Summary run(Options o) throws Exception {
    Files.createDirectories(o.dataDir());
    DeviceKey key = FileKeyStore.openOrCreate(o.dataDir());
    FleetCa ca = DemoWitness.fleetCa(o.dataDir(), FLEET);
    X509Certificate cert = DemoWitness.certify(ca, key, DEVICE);
    LightchainOptions chainOptions =
        LightchainOptions.defaults(Checkpoint.originFor(FLEET, DEVICE))
            .withBlocks(16, Math.max(100, o.intervalMs()));
    // Entry headers take their time as `haulproof run` does: from the lift assembler's time keeper,
    // so GNSS time from the simulated NMEA track once the fix is valid.
    EntryClock entryClock = new EntryClock();
    Lightchain chain = Lightchain.open(o.dataDir(), key, DEVICE, chainOptions, entryClock);
    long before = chain.log().size();
    progress.printf(
        "haulproof demo: data dir %s holds %d entries; device %s, kid %s%n",
        o.dataDir(), before, DEVICE, Kid.of(key.publicKey()).toHex());
    DemoWitness witness;
    MqttTransport transport;
    String broker = o.broker();
    if (broker == null) {
      witness = DemoWitness.open(o.dataDir(), ca, cert);
      transport = witness.transport();
      broker = "tcp://in-process.invalid:1883";
      progress.println(
          "haulproof demo: no --broker given, so the witness is IN-PROCESS: the reference ledger runs "
              + "inside this JVM behind an in-memory transport (not a central server)");
    } else {
      witness = DemoWitness.openOverMqtt(o.dataDir(), ca, cert, broker);
      transport = new PahoTransport();
      progress.println(
          "haulproof demo: uplink over MQTT via "
              + broker
              + " to the reference ledger service "
              + "(started by the demo on that broker)");
    }
    PublicKey witnessKey = witness.ledger().witnessPublicKey();
    MqttUplink.Config uplinkConfig =
        new MqttUplink.Config(
            new Topics(FLEET, DEVICE),
            MqttSettings.of(broker, "haulproof-" + DEVICE)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
            o.dataDir().resolve("uplink"),
            Outbox.Settings.defaults(),
            new CheckpointPublisher.Settings(
                Duration.ofMillis(Math.max(250, o.intervalMs() * 2)), 16),
            witnessKey,
            "demo",
            Kid.of(key.publicKey()).toHex());
    MqttUplinkPort uplink = new MqttUplinkPort(chain, uplinkConfig, transport);
    DemoRoute route = DemoRoute.generate(o.seed(), o.lifts(), LocalDate.now(ZoneOffset.UTC));
    DemoTruck truck = new DemoTruck(o.intervalMs(), AgentClock.system());
    RuntimeParts parts =
        new RuntimeParts(
            DEVICE,
            AgentClock.system(),
            truck.assemblerSettings("demo-tour-" + o.seed()),
            DemoTruck.registry(route),
            new LightchainEvidence(chain),
            null,
            uplink,
            truck.sensors(),
            new ChainConfig(16, Math.max(100, o.intervalMs()), Math.max(500, o.intervalMs() * 4)),
            null,
            Notifier.none(),
            0,
            List.of());
    AgentRuntime runtime =
        new AgentRuntime(parts, new VertxOptions().setWorkerPoolSize(4).setEventLoopPoolSize(2));
    runtime.stampEntriesWith(entryClock);
    if (hook != null) {
      hook.opened(chain, broker, cert);
    }
    try {
      runtime.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      progress.println("haulproof demo: agent ready; driving " + o.lifts() + " lifts");
      RouteSimulator sim =
          new RouteSimulator(
              route,
              truck.gpsLine,
              truck.rfidLine,
              truck.scaleLine,
              c -> runtime.vertx().eventBus().send(Addresses.CREW, c),
              o.intervalMs(),
              o.seed());
      sim.run(
          n -> {
            if (n % 5 == 0 || n == o.lifts()) {
              progress.printf("haulproof demo: %d/%d lifts driven%n", n, o.lifts());
            }
          });
      long liftTimeout = 60_000 + o.lifts() * o.intervalMs();
      await("every lift recorded", liftTimeout, () -> runtime.metrics().liftsTotal() >= o.lifts());
      runtime.checkpointNow().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      long target = chain.log().size();
      progress.printf(
          "haulproof demo: %d entries durable; waiting for the witness to cosign tree size %d%n",
          target, target);
      long[] lastPoke = {0};
      await(
          "the witness to cosign the route",
          120_000,
          () -> {
            if (System.nanoTime() - lastPoke[0] > 1_000_000_000L) {
              uplink.publishCheckpointNow();
              lastPoke[0] = System.nanoTime();
            }
            return uplink.stats().witnessed() >= target && uplink.stats().outboxDepth() == 0;
          });
      progress.printf(
          "haulproof demo: witnessed by %s up to tree size %d%n",
          uplink.stats().witness(), uplink.stats().witnessed());
      if (hook != null) {
        chain.flush().get(60, TimeUnit.SECONDS);
        hook.beforeStop(chain);
      }
    } finally {
      runtime.stop().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      witness.close();
    }
    return verify(o);
  }

  private Summary verify(Options o) throws Exception {
    progress.println("haulproof demo: verifying the whole chain");
    try (ChainReader reader = ChainReader.open(o.dataDir())) {
      VerificationResult r = reader.verify(n -> {});
      long receipts = 0;
      for (long i = 0; i < reader.size(); i++) {
        if (EntryCodec.decode(CoseSign1.decode(reader.read(i))).kind() == EntryKind.receipt) {
          receipts++;
        }
      }
      List<?> blocks = reader.blocks();
      return new Summary(
          o.lifts(),
          r.entries(),
          r.blocks(),
          blocks.size(),
          receipts,
          r.valid(),
          r.reason().orElse(null));
    }
  }

  private static void await(String what, long timeoutMs, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
