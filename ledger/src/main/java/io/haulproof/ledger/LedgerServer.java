package io.haulproof.ledger;

import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Objects;

/**
 * The reference ledger as a process: data dir layout, device registry, witness key, MQTT service
 * and HTTP API; what {@code haulproof ledger} runs.
 *
 * <p>Data dir: {@code trust/fleet-ca.pem} (trust anchors), {@code devices/*.pem} (device
 * certificates), {@code witness/witness.p8} (created on first start, 0600) and {@code
 * witness/witness.pub.pem}, {@code ledger/<fleet>/<device>/} (entries and the latest checkpoint).
 */
public final class LedgerServer implements AutoCloseable {
  /**
   * How to run.
   *
   * @param httpPort the auditor API port on loopback, 0 for any free port, -1 for none
   * @param tlsCa with tlsCert and tlsKey: the broker's CA and our client certificate, for ssl://
   *     brokers
   */
  public record Options(
      String brokerUrl,
      Path dataDir,
      int httpPort,
      Path trustAnchor,
      Path devicesDir,
      String clientId,
      String witnessName,
      Path tlsCa,
      Path tlsCert,
      Path tlsKey) {
    public Options {
      Objects.requireNonNull(brokerUrl, "brokerUrl");
      Objects.requireNonNull(dataDir, "dataDir");
    }

    public static Options of(String brokerUrl, Path dataDir, int httpPort) {
      return new Options(
          brokerUrl,
          dataDir,
          httpPort,
          dataDir.resolve("trust/fleet-ca.pem"),
          dataDir.resolve("devices"),
          "haulproof-ledger",
          "haulproof-witness",
          null,
          null,
          null);
    }
  }

  private final LedgerService service;
  private final LedgerHttp http;

  private LedgerServer(LedgerService service, LedgerHttp http) {
    this.service = service;
    this.http = http;
  }

  /**
   * Starts the ledger; returns once the HTTP API listens (the broker connection comes up in the
   * background).
   *
   * @throws IOException if the data dir, trust anchor or keys cannot be read
   * @throws GeneralSecurityException if a device certificate does not chain to the anchor or TLS
   *     material is bad
   */
  public static LedgerServer start(Options o) throws IOException, GeneralSecurityException {
    if (!Files.isRegularFile(o.trustAnchor())) {
      throw new IOException(
          "trust anchor " + o.trustAnchor() + " not found (the fleet CA certificate, PEM)");
    }
    DeviceRegistry registry = DeviceRegistry.load(o.trustAnchor(), o.devicesDir());
    Ledger ledger =
        new Ledger(
            o.dataDir(),
            registry,
            new LightchainCheckpointNotes(),
            WitnessKey.loadOrCreate(o.dataDir().resolve("witness")),
            o.witnessName(),
            Clock.systemUTC());
    MqttSettings s =
        MqttSettings.of(o.brokerUrl(), o.clientId()).withPersistentSession(7L * 24 * 3600);
    if (o.tlsCa() != null) {
      s = s.withTls(TlsContexts.fromPem(o.tlsCa(), o.tlsCert(), o.tlsKey()));
    }
    s.requireUsable();
    LedgerService service =
        new LedgerService(ledger, new ConnectionSupervisor(new PahoTransport(), s));
    LedgerHttp http =
        o.httpPort() < 0
            ? null
            : new LedgerHttp(
                ledger, new InetSocketAddress(InetAddress.getLoopbackAddress(), o.httpPort()));
    service.start();
    return new LedgerServer(service, http);
  }

  public Ledger ledger() {
    return service.ledger();
  }

  public ConnectionSupervisor connection() {
    return service.connection();
  }

  /** The HTTP port, or -1 without HTTP. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  @Override
  public void close() throws IOException {
    if (http != null) {
      http.close();
    }
    service.close();
  }
}
