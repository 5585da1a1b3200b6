package io.haulproof.agent.runtime;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.BinConfig;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.GpsConfig;
import io.haulproof.agent.config.PoahConfig;
import io.haulproof.agent.config.RfidConfig;
import io.haulproof.agent.config.UplinkConfig;
import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.AssemblerSettings;
import io.haulproof.agent.lift.BinRegistry;
import io.haulproof.agent.lift.Instrument;
import io.haulproof.agent.lift.RegisteredBin;
import io.haulproof.agent.mgmt.ManagementAgent;
import io.haulproof.agent.mgmt.ManagementSettings;
import io.haulproof.agent.mgmt.ManagementVerticle;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.authenticator.truck.PoahProposer;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the production agent ({@code haulproof run}) from its YAML configuration: device key and
 * lightchain in the data dir, sensor sources on their serial ports (or gpsd), the MQTT uplink with
 * TLS, the lift assembler's settings and allow-list, HTTP and the service-manager notifier.
 */
public final class AgentFactory {
  private AgentFactory() {}

  /**
   * The wired agent, not started yet.
   *
   * @param parts what the runtime deploys
   * @param metrics the metrics registry management already counts into
   * @param hooks the management hooks to bind to the started runtime, or null without management
   * @param entryClock the clock stamping entry headers, to follow the runtime's lift assembler
   */
  public record Built(
      RuntimeParts parts, AgentMetrics metrics, RuntimeHooks hooks, EntryClock entryClock) {
    /** Connects management and the log's entry clock to the runtime once it is constructed. */
    public void bind(AgentRuntime runtime) {
      runtime.stampEntriesWith(entryClock);
      if (hooks != null) {
        hooks.bind(runtime.vertx(), runtime.board());
      }
    }
  }

  /**
   * Opens the data dir and wires every part; nothing is started yet. With a {@code management}
   * section the log signs with the device identity's active (enrolled) key; without one, with the
   * data dir's own key.
   *
   * @throws ConfigException for a setting that cannot be used (a missing witness key file, an
   *     unsupported protocol)
   */
  public static Built build(AgentConfig c, Notifier notifier, long watchdogMs, String version)
      throws IOException, GeneralSecurityException {
    AgentClock clock = AgentClock.system();
    Path dataDir = c.device().dataPath();
    Files.createDirectories(dataDir);
    List<SensorSource> sensors = sensors(c, clock);
    AgentMetrics metrics = new AgentMetrics();
    RuntimeHooks hooks = null;
    ManagementAgent management = null;
    DeviceKey key;
    AgentKeys keys = new AgentKeys(c.keystore(), System.getenv());
    if (c.management() != null) {
      hooks = new RuntimeHooks(version);
      management =
          ManagementAgent.open(
              managementSettings(c, dataDir, version, keys),
              hooks,
              Clock.systemUTC(),
              metrics.registry());
      key = management.identity().activeKey();
      hooks.uplinkConfig(c.uplink());
      c = ConfigOverlay.apply(c, management.service().currentConfig().values());
    } else {
      key = keys.deviceKey(dataDir);
    }
    LightchainOptions options =
        LightchainOptions.defaults(Checkpoint.originFor(c.device().fleet(), c.device().id()))
            .withBlocks(c.chain().blockMaxEntries(), c.chain().blockMaxMs());
    EntryClock entryClock = new EntryClock();
    Lightchain chain = Lightchain.open(dataDir, key, c.device().id(), options, entryClock);
    if (hooks != null) {
      hooks.attach(chain);
      hooks.calibrationTargets(
          sensors.stream()
              .filter(AdcScaleSource.class::isInstance)
              .map(AdcScaleSource.class::cast)
              .toList());
      hooks.applyCalibration(management.service().currentConfig().values());
    }
    UplinkPort uplink;
    try {
      uplink =
          c.uplink() == null
              ? new OfflineUplink(() -> chain.log().size())
              : c.uplink().isCoap()
                  ? CoapUplinks.create(c, c.uplink(), chain, dataDir)
                  : mqttUplink(c, c.uplink(), chain, key, dataDir, version);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      chain.close();
      throw e;
    }
    if (hooks != null) {
      hooks.attachUplink(uplink);
    }
    List<io.vertx.core.Verticle> extras = new ArrayList<>();
    if (management != null) {
      extras.add(new ManagementVerticle(management));
    }
    if (c.poah() != null) {
      extras.add(poah(c, chain, management.identity(), metrics));
    }
    LightchainEvidence evidence = new LightchainEvidence(chain);
    if (c.remote() != null) {
      extras.add(
          new RemoteReadingsVerticle(
              receivers(c), NodesFile.load(Path.of(c.remote().nodesFile())), evidence, metrics));
    }
    RuntimeParts parts =
        new RuntimeParts(
            c.device().id(),
            clock,
            c.hasLifter() ? assembler(c) : null,
            registry(c),
            evidence,
            evidence,
            uplink,
            sensors,
            c.chain(),
            c.http(),
            notifier,
            watchdogMs,
            extras);
    return new Built(parts, metrics, hooks, entryClock);
  }

  private static ManagementSettings managementSettings(
      AgentConfig c, Path dataDir, String version, AgentKeys keys)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> roots;
    try {
      roots = TlsContexts.readCertificates(Path.of(c.management().fleetRoot()));
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "management.fleetRoot", "file " + c.management().fleetRoot() + " does not exist");
    }
    if (roots.isEmpty()) {
      throw new ConfigException(
          "management.fleetRoot", "no certificate in " + c.management().fleetRoot());
    }
    Path keysRoot = dataDir.resolve("identity-keys");
    return new ManagementSettings(
        new DeviceRef(c.device().fleet(), c.device().id()),
        managementStateDir(dataDir),
        roots.get(0),
        keys.identityKeys(keysRoot),
        Optional.ofNullable(c.management().claimFile()).map(Path::of),
        version,
        BrokerSettings.of(
            "management",
            c.management().broker(),
            "haulproof-mgmt-" + c.device().id(),
            c.management().tls(),
            c.management().username(),
            c.management().passwordFile()));
  }

  /**
   * Where management keeps its state (identity, config snapshots, replay state) in the data dir.
   */
  public static Path managementStateDir(Path dataDir) {
    return dataDir.resolve("provision");
  }

  static AssemblerSettings assembler(AgentConfig c) {
    Instrument instrument =
        c.scale() == null
            ? null
            : new Instrument(
                c.scale().instrument().approval(),
                c.scale().instrument().serial(),
                c.scale().instrument().softwareId(),
                c.scale().instrument().calibrationDate());
    return new AssemblerSettings(
        c.device().vehicle(),
        c.route().tour(),
        c.route().crew(),
        instrument,
        c.lift().tagWindowMs(),
        c.lift().cycleTimeoutMs(),
        c.lift().lateTagGraceMs(),
        c.lift().clockJumpThresholdMs(),
        c.gps() == null ? 5_000 : c.gps().maxFixAgeMs(),
        c.lift().fallbackTimeSource(),
        c.lift().zone());
  }

  static BinRegistry registry(AgentConfig c) {
    List<RegisteredBin> bins = new ArrayList<>();
    for (BinConfig b : c.bins().registered()) {
      bins.add(new RegisteredBin(b.id(), b.fraction(), b.volumeLitres(), b.collectionDays()));
    }
    return new BinRegistry(c.bins().enforce(), bins);
  }

  static List<SensorSource> sensors(AgentConfig c, AgentClock clock) {
    List<SensorSource> out = new ArrayList<>();
    if (c.scale() != null) {
      Duration motionTimeout = Duration.ofMillis(c.lift().cycleTimeoutMs());
      if (c.scale().isAdc()) {
        out.add(new AdcScaleSource("scale", c.scale(), clock, motionTimeout));
      } else {
        SerialTransport port = new SerialTransport(c.scale().port());
        out.add(
            c.scale().protocol().equals("modbus")
                ? new ModbusScaleSource("scale", c.scale(), port, clock, motionTimeout)
                : new ScaleSource("scale", c.scale(), port, clock, motionTimeout));
      }
    }
    for (RfidConfig r : c.rfid()) {
      out.add(new RfidSource("rfid-" + r.lifter(), r, new SerialTransport(r.port()), clock));
    }
    GpsConfig g = c.gps();
    if (g != null) {
      out.add(
          g.source().equals("gpsd")
              ? new GpsdSource("gps", g.gpsd(), clock)
              : new GnssSource("gps", new SerialTransport(g.port()), clock));
    }
    return out;
  }

  /** The smart-bin receivers of {@code remote}; reads the PSK file when DTLS is configured. */
  static RemoteReadingsVerticle.Receivers receivers(AgentConfig c) throws IOException {
    io.haulproof.agent.config.RemoteConfig r = c.remote();
    return new RemoteReadingsVerticle.Receivers(
        r.coapPort(),
        r.coapsPort(),
        r.pskFile() == null ? java.util.Map.of() : PskFile.load(Path.of(r.pskFile())),
        r.mqttBroker() == null
            ? null
            : BrokerSettings.of(
                    "remote",
                    r.mqttBroker(),
                    "haulproof-" + c.device().id() + "-nodes",
                    r.mqttTls(),
                    r.mqttUsername(),
                    r.mqttPasswordFile())
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
        c.device().fleet());
  }

  private static MqttUplinkPort mqttUplink(
      AgentConfig c, UplinkConfig u, Lightchain chain, DeviceKey key, Path dataDir, String version)
      throws IOException, GeneralSecurityException {
    PublicKey witness = witnessKey(u);
    MqttSettings mqtt =
        BrokerSettings.of(
                "uplink",
                u.broker(),
                "haulproof-" + c.device().id(),
                u.tls(),
                u.username(),
                u.passwordFile())
            .withBackoff(Duration.ofMillis(500), Duration.ofMillis(u.reconnectMaxMs()));
    MqttUplink.Config config =
        new MqttUplink.Config(
            new Topics(c.device().fleet(), c.device().id()),
            mqtt,
            dataDir.resolve("uplink"),
            Outbox.Settings.defaults(),
            new CheckpointPublisher.Settings(
                Duration.ofMillis(u.checkpointIntervalMs()), c.chain().blockMaxEntries()),
            witness,
            version,
            Kid.of(key.publicKey()).toHex());
    return new MqttUplinkPort(chain, config, new PahoTransport());
  }

  /**
   * The PoAh proposer of {@code poah}: its own persistent MQTT session (authentications wait at the
   * broker while the truck is away), and the enrolled device certificate chain for the genesis
   * block, read when it is proposed (the device may enroll while running).
   */
  private static PoahVerticle poah(
      AgentConfig c, Lightchain chain, DeviceIdentity identity, AgentMetrics metrics)
      throws IOException {
    PoahConfig p = c.poah();
    ConnectionSupervisor mqtt =
        new ConnectionSupervisor(
            new PahoTransport(),
            BrokerSettings.of(
                    "poah",
                    p.broker(),
                    "haulproof-poah-" + c.device().id(),
                    p.tls(),
                    p.username(),
                    p.passwordFile())
                .withPersistentSession(7 * 24 * 3600)
                .withBackoff(Duration.ofMillis(500), Duration.ofMillis(p.reconnectMaxMs())));
    Function<Kid, List<Bytes>> certificates =
        kid -> {
          try {
            List<Bytes> der = new ArrayList<>();
            for (X509Certificate cert : identity.chainOf(kid)) {
              der.add(Certificates.der(cert));
            }
            return der;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    return new PoahVerticle(
        mqtt,
        events ->
            new PoahProposer(
                chain, c.device().fleet(), c.device().id(), certificates, mqtt, events),
        metrics);
  }

  /** The pinned witness public key of {@code uplink.witnessKey}. */
  static PublicKey witnessKey(UplinkConfig u) throws IOException {
    try {
      return PublicKeys.fromPem(Files.readString(Path.of(u.witnessKey())));
    } catch (NoSuchFileException e) {
      throw new ConfigException("uplink.witnessKey", "file " + u.witnessKey() + " does not exist");
    }
  }
}
