package io.haulproof.ledger;

import io.haulproof.ledger.http.LedgerHttp;
import io.haulproof.ledger.store.DataDirLock;
import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.uplink.http.BearerToken;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.tls.TlsContexts;
import io.haulproof.uplink.vertx.VertxFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference ledger as a process: data dir layout, device registry, witness key, MQTT service
 * and HTTP API; what {@code haulproof ledger} runs.
 *
 * <p>Data dir: {@code trust/fleet-ca.pem} (trust anchors), {@code devices/*.pem} (device
 * certificates), {@code witness/witness.p8} (created on first start, 0600) and {@code
 * witness/witness.pub.pem}, {@code ledger.db} (SQLite, unless a PostgreSQL database is given).
 */
public final class LedgerServer implements AutoCloseable {
  /**
   * The MQTT session outlives a ledger restart by one minute, not longer. A broker keeps handing a
   * disconnected persistent member of a shared subscription its share of the messages (Mosquitto
   * queues them for it until the session expires): with the 7 days used before, a killed instance
   * swallowed a third of three instances' traffic, and of every device's resends, for a week
   * (LedgerInstancesPostgresIT hung at 258 of 600 entries). Within a minute a restarted instance
   * still gets what was queued for it; past that, devices resend what their receipts say is
   * missing, and the live instances take it.
   */
  static final long SESSION_EXPIRY_S = 60;

  /**
   * How to run: {@code haulproof ledger}'s options, the one place they are named ({@code
   * LedgerCommand} fills them from its flags and their defaults).
   *
   * @param httpPort the auditor API port on loopback, 0 for any free port, -1 for none
   * @param trustAnchor the fleet root certificate (PEM)
   * @param devicesDir device certificates ({@code NAME.pem})
   * @param tlsCa with tlsCert and tlsKey: the broker's CA and our client certificate, for ssl://
   *     brokers; all null for tcp://
   * @param db a {@code postgresql://…} URL, or null for SQLite in the data dir
   * @param fleet the fleet of device certificates that name none, or null
   * @param shareGroup the MQTT shared-subscription group the instances of one ledger split work in
   * @param auditTokenFile the auditors' bearer token (0600), or null: the audit endpoints are then
   *     open to anyone who reaches the loopback port
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
      Path tlsKey,
      String db,
      String fleet,
      String shareGroup,
      Path auditTokenFile) {
    public Options {
      Objects.requireNonNull(brokerUrl, "brokerUrl");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(trustAnchor, "trustAnchor");
      Objects.requireNonNull(devicesDir, "devicesDir");
      Objects.requireNonNull(shareGroup, "shareGroup");
    }
  }

  private final LedgerService service;
  private final LedgerHttp http;
  private final DataDirLock lock;

  private LedgerServer(LedgerService service, LedgerHttp http, DataDirLock lock) {
    this.service = service;
    this.http = http;
    this.lock = lock;
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
    Optional<BearerToken> auditToken =
        o.auditTokenFile() == null
            ? Optional.empty()
            : Optional.of(BearerToken.read(o.auditTokenFile(), "--audit-token-file"));
    DeviceRegistry registry = DeviceRegistry.load(o.trustAnchor(), o.devicesDir(), o.fleet());
    DataDirLock lock = DataDirLock.acquire(o.dataDir());
    Ledger ledger;
    try {
      ledger =
          new Ledger(
              new LedgerStore(Db.open(o.db(), o.dataDir())),
              true,
              registry,
              new LightchainCheckpointNotes(),
              WitnessKey.loadOrCreate(o.dataDir().resolve("witness")),
              o.witnessName(),
              Clock.systemUTC(),
              Ledger.Limits.defaults());
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    MqttSettings s =
        MqttSettings.of(o.brokerUrl(), o.clientId()).withPersistentSession(SESSION_EXPIRY_S);
    if (o.tlsCa() != null) {
      s = s.withTls(TlsContexts.fromPem(o.tlsCa(), o.tlsCert(), o.tlsKey()));
    }
    s.requireUsable();
    LedgerService service =
        new LedgerService(
            ledger,
            new ConnectionSupervisor(new PahoTransport(LedgerService.RECEIVE_MAXIMUM), s),
            o.shareGroup());
    LedgerHttp http =
        o.httpPort() < 0
            ? null
            : new LedgerHttp(
                ledger,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), o.httpPort()),
                new LedgerMetrics(
                    ledger,
                    service.connection()::isConnected,
                    service::laneQueueDepth,
                    service.laneQueueBound()),
                VertxFactory.maxEventLoopTime(),
                List.of(),
                auditToken);
    service.start();
    return new LedgerServer(service, http, lock);
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
    try {
      service.close();
    } finally {
      lock.close();
    }
  }
}
