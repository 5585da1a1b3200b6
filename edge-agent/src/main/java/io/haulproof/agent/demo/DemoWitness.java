package io.haulproof.agent.demo;

import io.haulproof.agent.provision.CsrBuilder;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LedgerService;
import io.haulproof.ledger.LightchainCheckpointNotes;
import io.haulproof.ledger.WitnessKey;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The demo's stand-ins for the central side: a demo fleet CA that certifies the device key (as
 * enrollment would), and the reference ledger and witness: without {@code --broker} behind a {@link
 * LedgerLoopback} in this process, with it as the ledger service on that broker, reached over MQTT.
 * Kept under the data dir, so a rerun finds the same CA and the same witness state.
 */
public final class DemoWitness implements AutoCloseable {
  public static final String WITNESS_NAME = "witness.demo.local";

  private final Ledger ledger;
  private final LedgerLoopback loopback;
  private final LedgerService service;

  private DemoWitness(Ledger ledger, LedgerService service) {
    this.ledger = ledger;
    this.loopback = new LedgerLoopback(ledger);
    this.service = service;
  }

  /** The demo fleet CA under {@code dataDir/demo-fleet-ca}, created on first use. */
  public static FleetCa fleetCa(Path dataDir, String fleet) throws IOException {
    Path dir = dataDir.resolve("demo-fleet-ca");
    return Files.exists(dir.resolve("root.key"))
        ? FleetCa.open(dir, Clock.systemUTC())
        : FleetCa.init(dir, fleet, Clock.systemUTC());
  }

  /** A device certificate for {@code key} from the demo fleet CA, as enrollment would issue it. */
  public static X509Certificate certify(FleetCa ca, DeviceKey key, String device)
      throws IOException {
    return ca.issueDevice(CsrBuilder.build(key, new DeviceRef(ca.fleet(), device)), device);
  }

  /**
   * Opens the in-process ledger and witness under {@code dataDir/demo-witness}, trusting the
   * device's certificate.
   */
  public static DemoWitness open(Path dataDir, FleetCa ca, X509Certificate deviceCert)
      throws IOException, GeneralSecurityException {
    return new DemoWitness(ledger(dataDir, ca, deviceCert), null);
  }

  /**
   * Starts the reference ledger service on {@code brokerUrl}: it receives entries and checkpoints
   * over MQTT and answers on {@code receipts}, exactly as {@code haulproof ledger} does.
   */
  public static DemoWitness openOverMqtt(
      Path dataDir, FleetCa ca, X509Certificate deviceCert, String brokerUrl)
      throws IOException, GeneralSecurityException {
    Ledger ledger = ledger(dataDir, ca, deviceCert);
    MqttSettings s =
        MqttSettings.of(brokerUrl, "haulproof-demo-ledger")
            .withPersistentSession(3600)
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    LedgerService service =
        new LedgerService(
            ledger, new ConnectionSupervisor(new PahoTransport(LedgerService.RECEIVE_MAXIMUM), s));
    service.start();
    return new DemoWitness(ledger, service);
  }

  private static Ledger ledger(Path dataDir, FleetCa ca, X509Certificate deviceCert)
      throws IOException, GeneralSecurityException {
    DeviceRegistry registry = new DeviceRegistry(List.of(ca.root()));
    registry.add(deviceCert);
    Path dir = dataDir.resolve("demo-witness");
    return new Ledger(
        dir,
        registry,
        new LightchainCheckpointNotes(),
        WitnessKey.loadOrCreate(dir.resolve("key")),
        WITNESS_NAME,
        Clock.systemUTC());
  }

  /** Whether the ledger service is connected to the broker (always true in-process). */
  public boolean connected() {
    return service == null || service.connection().isConnected();
  }

  public Ledger ledger() {
    return ledger;
  }

  public LedgerLoopback transport() {
    return loopback;
  }

  @Override
  public void close() throws IOException {
    loopback.close();
    if (service != null) {
      service.close();
    } else {
      ledger.close();
    }
  }
}
