package io.haulproof.ledger.testing;

import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LedgerService;
import io.haulproof.ledger.TestLedgers;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The reference ledger running in the test JVM against a broker, with a test fleet CA and
 * registered devices.
 */
public final class InProcessLedger implements AutoCloseable {
  private final TestPki pki;
  private final DeviceRegistry registry;
  private final Path dataDir;
  private LedgerService service;

  public InProcessLedger(Path dir) {
    this.pki = TestPki.create(dir.resolve("fleet-pki"), "Test Fleet CA");
    this.registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    this.dataDir = dir.resolve("ledger-data");
  }

  public TestPki pki() {
    return pki;
  }

  /** Registers the device of {@code log} with a certificate from the fleet CA. */
  public InProcessLedger register(SignedLog log) {
    try {
      registry.add(pki.deviceCertificate(log.deviceId(), log.key().publicKey()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /**
   * Starts the ledger on {@code brokerUrl} (persistent session, client id {@code
   * haulproof-ledger}).
   */
  public InProcessLedger start(String brokerUrl, UnaryOperator<MqttSettings> tweak)
      throws IOException {
    Ledger ledger = TestLedgers.sqlite(dataDir, registry, Clock.systemUTC());
    MqttSettings s =
        tweak.apply(
            MqttSettings.of(brokerUrl, "haulproof-ledger")
                .withPersistentSession(3600)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
    service =
        new LedgerService(
            ledger, new ConnectionSupervisor(new PahoTransport(LedgerService.RECEIVE_MAXIMUM), s));
    service.start();
    return this;
  }

  public InProcessLedger start(String brokerUrl) throws IOException {
    return start(brokerUrl, s -> s);
  }

  public Ledger ledger() {
    return service.ledger();
  }

  public LedgerService service() {
    return service;
  }

  /** Stops the service (and its store) but keeps the data dir for a restart. */
  public void stop() throws IOException {
    if (service != null) {
      service.close();
      service = null;
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
