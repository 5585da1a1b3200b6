package io.haulproof.agent.poah;

import io.haulproof.agent.demo.DemoWitness;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.agent.provision.Pem;
import io.haulproof.authenticator.truck.PoahProposer;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A truck's lightchain with multi-node PoAh attached: the lightchain as always, plus a {@link
 * PoahProposer} on its own MQTT session (persistent, so authentications that arrive while the truck
 * is away wait at the broker). Used by the demo, the benchmark and the integration tests; the agent
 * attaches the same proposer to its chain.
 */
public final class PoahTruck implements AutoCloseable {
  private final Lightchain chain;
  private final ConnectionSupervisor mqtt;
  private final PoahProposer proposer;
  private final DeviceRef ref;
  private long configVersion;
  private Map<String, String> config = Map.of();

  private PoahTruck(
      Lightchain chain, ConnectionSupervisor mqtt, PoahProposer proposer, DeviceRef ref) {
    this.chain = chain;
    this.mqtt = mqtt;
    this.proposer = proposer;
    this.ref = ref;
  }

  /**
   * Opens the truck {@code device} in {@code dataDir} (creating its key and, from {@code ca}, its
   * device certificate if missing) and connects its proposer to {@code broker}.
   */
  public static PoahTruck open(
      Path dataDir,
      FleetCa ca,
      String device,
      String broker,
      LightchainOptions options,
      Consumer<Map<String, Object>> events)
      throws IOException {
    Files.createDirectories(dataDir);
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);
    Path certFile = dataDir.resolve("keys").resolve("device.crt");
    X509Certificate cert;
    if (Files.exists(certFile)) {
      cert = Pem.readCertificates(certFile).get(0);
    } else {
      cert = DemoWitness.certify(ca, key, device);
      Pem.writeCertificates(certFile, List.of(cert));
    }
    Lightchain chain = Lightchain.open(dataDir, key, device, options);
    ConnectionSupervisor mqtt = null;
    try {
      mqtt =
          new ConnectionSupervisor(
              new PahoTransport(),
              MqttSettings.of(broker, "haulproof-poah-" + device)
                  .withPersistentSession(7 * 24 * 3600)
                  .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2)));
      PoahProposer proposer =
          new PoahProposer(
              chain, ca.fleet(), device, List.of(Certificates.der(cert)), mqtt, events);
      proposer.start();
      mqtt.start();
      return new PoahTruck(chain, mqtt, proposer, new DeviceRef(ca.fleet(), device));
    } catch (IOException | RuntimeException e) {
      if (mqtt != null) {
        mqtt.close();
      }
      chain.close();
      throw e;
    }
  }

  /**
   * Applies the PoAh configuration ({@code quorum} of {@code members}, name → certificate), signed
   * by {@code operator}, and logs it as a {@code config} entry; it governs the block that carries
   * it and every later one.
   */
  public void configure(
      OperatorCredentials operator, int quorum, Map<String, X509Certificate> members)
      throws Exception {
    Map<String, String> values = new java.util.TreeMap<>();
    config.forEach(
        (k, v) -> {
          if (!k.startsWith("poah.")) {
            values.put(k, v);
          }
        });
    Map<String, String> poah = PoahSetup.values(quorum, members);
    configVersion++;
    chain
        .append(PoahSetup.configEntry(operator, ref, configVersion, config, poah))
        .get(30, TimeUnit.SECONDS);
    values.putAll(poah);
    config = values;
  }

  /** Appends one entry durably (acknowledged locally, whatever the authenticators do). */
  public Appended append(EntryBody body) throws Exception {
    return chain.append(body).get(30, TimeUnit.SECONDS);
  }

  /** Cuts every committed entry into blocks now. */
  public void flush() throws Exception {
    chain.flush().get(30, TimeUnit.SECONDS);
  }

  public Lightchain chain() {
    return chain;
  }

  public PoahProposer proposer() {
    return proposer;
  }

  public ConnectionSupervisor mqtt() {
    return mqtt;
  }

  public Bytes deviceCertificate() throws IOException {
    return Certificates.der(
        Pem.readCertificates(chain.dataDir().resolve("keys").resolve("device.crt")).get(0));
  }

  @Override
  public void close() throws IOException {
    try {
      mqtt.close();
      proposer.close();
    } finally {
      chain.close();
    }
  }
}
