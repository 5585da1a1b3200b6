package io.haulproof.ledger.bench;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.testing.InProcessLedger;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.outbox.OutboundEntry;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.Await;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TcpProxy;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): backlog drain after an N-entry outage through a real Mosquitto, and bytes
 * on the wire per entry and per checkpoint (TCP payload through a counting proxy). Args: [entries]
 * [window].
 */
public final class UplinkDrainBench {
  private UplinkDrainBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    Path tmp = Files.createTempDirectory("hp-bench");
    MosquittoProcess broker = MosquittoProcess.builder(tmp.resolve("broker")).start();
    TcpProxy proxy = new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD);
    SignedLog log = new SignedLog("truck-1", 77);
    long g0 = System.nanoTime();
    log.append(n);
    log.checkpoint("fleet-a");
    System.out.printf(
        "generated %d signed entries in %.1f s (not timed below)%n",
        n, (System.nanoTime() - g0) / 1e9);
    InProcessLedger ledger =
        new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url());
    Await.until(
        ledger.service().connection()::isConnected, Duration.ofSeconds(60), "ledger connect");
    List<ReceiptMessage.Cosigned> receipts = new CopyOnWriteArrayList<>();
    MqttSettings s =
        MqttSettings.of(proxy.url(), "truck-1")
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
    MqttUplink up =
        new MqttUplink(
            new MqttUplink.Config(
                new Topics("fleet-a", "truck-1"),
                s,
                tmp.resolve("dev"),
                Outbox.Settings.defaults().withWindow(window),
                new CheckpointPublisher.Settings(Duration.ofSeconds(1), 1000),
                ledger.ledger().witnessPublicKey(),
                "bench",
                log.key().kid().toHex()),
            log,
            log,
            receipts::add);
    DeviceLedger d = ledger.ledger().device(new Topics("fleet-a", "truck-1"));
    long t0 = System.nanoTime();
    up.start();
    Await.until(
        () -> up.outbox().cursor() == n,
        Duration.ofMinutes(10),
        () -> "cursor " + up.outbox().cursor());
    long t1 = System.nanoTime();
    Await.until(() -> d.stored() == n, Duration.ofMinutes(10), () -> "stored " + d.stored());
    long t2 = System.nanoTime();
    Await.until(
        () -> receipts.stream().anyMatch(r -> r.size() == n), Duration.ofMinutes(5), "receipt");
    long t3 = System.nanoTime();
    long cose = log.entries().stream().mapToLong(Bytes::length).sum();
    System.out.printf(
        "window %d: device->broker drain %d entries in %.2f s = %.0f entries/s (broker PUBACKs)%n",
        window, n, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9));
    System.out.printf(
        "end-to-end into the ledger store: %.2f s = %.0f entries/s; cosigned receipt for %d after %.2f s%n",
        (t2 - t0) / 1e9, n / ((t2 - t0) / 1e9), n, (t3 - t0) / 1e9);
    System.out.printf(
        "uplink TCP payload during drain: %d bytes up, %d down; mean COSE entry %.1f bytes%n",
        proxy.upBytes(), proxy.downBytes(), cose / (double) n);
    up.close();

    // Per-message wire bytes on a quiet connection.
    TcpProxy p2 = new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD);
    ConnectionSupervisor c =
        new ConnectionSupervisor(new PahoTransport(), MqttSettings.of(p2.url(), "truck-1-wire"));
    c.start();
    // Connected in full (connects() counts after the connect steps), and the proxy has counted the
    // CONNECT bytes (it counts after forwarding, so the CONNACK can overtake the count): only the
    // PUBLISH below is measured.
    Await.until(
        () -> c.connects() == 1 && p2.upBytes() > 0,
        Duration.ofSeconds(60),
        () -> "connects " + c.connects() + ", up bytes " + p2.upBytes());
    OutboundEntry e = OutboundEntry.of(5, log.read(5));
    long u0 = p2.upBytes();
    c.publish(
            new MqttMessage(
                "haulproof/v1/fleet-a/truck-1/entries",
                e.cose(),
                1,
                false,
                List.of(
                    new MqttMessage.UserProperty("index", "5"),
                    new MqttMessage.UserProperty("seq", Long.toString(e.seq())),
                    new MqttMessage.UserProperty("kind", e.kind())),
                null,
                null))
        .get(30, TimeUnit.SECONDS);
    long u1 = p2.upBytes();
    Bytes cpMsg =
        new CheckpointMessage(
                log.latest().orElseThrow().wire(), n / 2, log.consistencyProof(n / 2, n))
            .encode();
    c.publish(MqttMessage.of("haulproof/v1/fleet-a/truck-1/checkpoints", cpMsg))
        .get(30, TimeUnit.SECONDS);
    long u2 = p2.upBytes();
    System.out.printf(
        "entry: COSE %d bytes, MQTT PUBLISH on the wire %d bytes%n", e.cose().length(), u1 - u0);
    System.out.printf(
        "checkpoint (proof %d hashes): CBOR %d bytes (note %d), MQTT PUBLISH on the wire %d bytes%n",
        log.consistencyProof(n / 2, n).size(),
        cpMsg.length(),
        log.latest().orElseThrow().wire().length(),
        u2 - u1);
    c.close();
    p2.close();
    ledger.close();
    proxy.close();
    broker.stop();
    System.exit(0);
  }
}
