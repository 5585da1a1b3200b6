package io.haulproof.ledger.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.TestLedgers;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.coap.CertIdentity;
import io.haulproof.uplink.coap.CoapSender;
import io.haulproof.uplink.coap.CoapUplink;
import io.haulproof.uplink.outbox.OutboundEntry;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoAP uplink: our client against our ledger endpoint over DTLS, and libcoap's coap-client as a
 * foreign peer.
 */
class CoapUplinkIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String PSK1 = "secret-truck-1";
  private static final String PSK2 = "secret-truck-2";
  private final Topics topics = new Topics("fleet-a", "truck-1");

  @TempDir Path tmp;
  private Ledger ledger;
  private CoapLedgerEndpoint endpoint;
  private SignedLog log;
  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  private TestPki pki;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    log = new SignedLog("truck-1", 51);
    registry.add(pki.deviceCertificate("truck-1", log.key().publicKey()));
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
    InetAddress lo = InetAddress.getLoopbackAddress();
    endpoint =
        new CoapLedgerEndpoint(
            ledger,
            new InetSocketAddress(lo, 0),
            Map.of(
                "truck-1",
                PSK1.getBytes(StandardCharsets.US_ASCII),
                "truck-2",
                PSK2.getBytes(StandardCharsets.US_ASCII)),
            new InetSocketAddress(lo, 0));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    endpoint.close();
    ledger.close();
  }

  private InetSocketAddress dtls() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.dtlsPort());
  }

  @Test
  void dtlsPsk_outboxAndCheckpoints_ledgerHoldsAllAndReceiptComesBack() throws Exception {
    // given
    log.append(40);
    log.checkpoint("fleet-a");
    List<ReceiptMessage.Cosigned> receipts = new CopyOnWriteArrayList<>();
    CoapUplink up =
        new CoapUplink(
            CoapSender.dtlsPsk(topics, dtls(), PSK1.getBytes(StandardCharsets.US_ASCII)),
            tmp.resolve("dev"),
            log,
            log,
            ledger.witnessPublicKey(),
            receipts::add,
            Outbox.Settings.defaults().withWindow(4),
            new CheckpointPublisher.Settings(Duration.ofMillis(300), 10));
    toClose.add(up);
    // when
    up.start();
    // then
    DeviceLedger d = ledger.device(topics);
    Await.until(
        () -> d.stored() == 40 && up.outbox().cursor() == 40, WAIT, () -> "stored " + d.stored());
    Await.until(
        () -> receipts.stream().anyMatch(r -> r.size() == 40), WAIT, ledger.counters()::toString);
    for (int i = 0; i < 40; i++) {
      assertThat(d.entry(i)).isEqualTo(log.read(i));
    }
  }

  @Test
  void blockwise_entryOver1024Bytes_arrivesWholeAndIsJudgedOnItsContent() throws Exception {
    // given a correctly signed COSE message of 3,000 payload bytes that is not an entry
    byte[] big = new byte[3000];
    java.util.Arrays.fill(big, (byte) 0x41);
    Bytes cose = CoseSign1.sign(log.key(), Bytes.wrap(big)).encoded();
    CoapSender s = CoapSender.dtlsPsk(topics, dtls(), PSK1.getBytes(StandardCharsets.US_ASCII));
    toClose.add(s);
    // when
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> s.send(new OutboundEntry(0, cose, 0, "unknown")).get(60, TimeUnit.SECONDS));
    // then: the signature verified over all 3,000 bytes, only the payload format was refused
    assertThat(e.getCause())
        .hasMessageContaining("4.00")
        .hasMessageContaining("entry 0 of truck-1");
    assertThat(ledger.counters()).containsEntry("entry.bad_payload", 1L);
  }

  @Test
  void dtlsIdentityOfOtherDevice_forbidden() throws Exception {
    // given truck-2's own DTLS identity and key, posting an entry for truck-1
    log.append(1);
    CoapSender spoof =
        CoapSender.dtlsPsk(topics, dtls(), "truck-2", PSK2.getBytes(StandardCharsets.US_ASCII));
    toClose.add(spoof);
    // when
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> spoof.send(OutboundEntry.of(0, log.read(0))).get(60, TimeUnit.SECONDS));
    // then
    assertThat(e.getCause())
        .hasMessageContaining("4.03")
        .hasMessageContaining("truck-2 may not send for device truck-1");
    assertThat(ledger.existingDevice(topics).map(DeviceLedger::stored).orElse(0L)).isZero();
  }

  @Test
  void foreignPeer_coapClientOpensslPsk_entryStored_coapClientNotlsCheckpoint_receiptInResponse()
      throws Exception {
    // given
    log.append(2);
    Path e0 = tmp.resolve("e0.cose");
    Files.write(e0, log.read(0).toByteArray());
    Path e1 = tmp.resolve("e1.cose");
    Files.write(e1, log.read(1).toByteArray());
    Path cp = tmp.resolve("cp.cbor");
    Files.write(
        cp,
        new CheckpointMessage(log.checkpoint("fleet-a").wire(), 0, List.of())
            .encode()
            .toByteArray());
    Path receipt = tmp.resolve("receipt.cbor");
    String q = "?fleet=fleet-a&device=truck-1";
    // when
    String r0 =
        run(
            "coap-client-openssl",
            "-m",
            "post",
            "-u",
            "truck-1",
            "-k",
            PSK1,
            "-b",
            "1024",
            "-B",
            "30",
            "-f",
            e0.toString(),
            "coaps://127.0.0.1:" + endpoint.dtlsPort() + "/hp/v1/entries" + q + "&index=0");
    String r1 =
        run(
            "coap-client-notls",
            "-m",
            "post",
            "-B",
            "30",
            "-f",
            e1.toString(),
            "coap://127.0.0.1:" + endpoint.plainPort() + "/hp/v1/entries" + q + "&index=1");
    String r2 =
        run(
            "coap-client-notls",
            "-m",
            "post",
            "-B",
            "30",
            "-f",
            cp.toString(),
            "-o",
            receipt.toString(),
            "coap://127.0.0.1:" + endpoint.plainPort() + "/hp/v1/checkpoints" + q);
    // then
    assertThat(ledger.device(topics).stored()).as(r0 + r1 + r2).isEqualTo(2);
    assertThat(
            SignedReceipt.open(
                    SignatureVerifier.of(ledger.witnessPublicKey()),
                    Bytes.wrap(Files.readAllBytes(receipt)))
                .receipt())
        .isInstanceOf(ReceiptMessage.Cosigned.class);
  }

  @Test
  void dtlsCertificates_deviceCertCnMustMatchDevice() throws Exception {
    // given a ledger endpoint with a server certificate, trusting the fleet CA for device
    // certificates
    TestPki.Issued server = pki.server("ledger");
    CoapLedgerEndpoint certEndpoint =
        new CoapLedgerEndpoint(
            ledger,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            Map.of(),
            new CertIdentity(
                server.privateKey(), List.of(server.certificate()), List.of(pki.caCertificate())),
            null);
    toClose.add(certEndpoint);
    InetSocketAddress at = new InetSocketAddress("127.0.0.1", certEndpoint.dtlsPort());
    TestPki.Issued truck1 = pki.client("truck-1");
    TestPki.Issued truck2 = pki.client("truck-2");
    CoapSender good =
        CoapSender.dtlsCertificate(
            topics,
            at,
            new CertIdentity(
                truck1.privateKey(), List.of(truck1.certificate()), List.of(pki.caCertificate())));
    CoapSender spoof =
        CoapSender.dtlsCertificate(
            topics,
            at,
            new CertIdentity(
                truck2.privateKey(), List.of(truck2.certificate()), List.of(pki.caCertificate())));
    toClose.add(good);
    toClose.add(spoof);
    log.append(2);
    // when
    good.send(OutboundEntry.of(0, log.read(0))).get(60, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> spoof.send(OutboundEntry.of(1, log.read(1))).get(60, TimeUnit.SECONDS));
    // then only the device's own entry was taken (as a candidate until its checkpoint binds it)
    assertThat(ledger.counters()).containsEntry("entry.buffered", 1L);
    assertThat(e.getCause()).hasMessageContaining("4.03");
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return String.join(" ", cmd) + " -> " + p.exitValue() + ": " + out + "\n";
  }
}
