package io.haulproof.uplink.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.MosquittoClients;
import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TcpProxy;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.tls.TlsContexts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against a real Mosquitto: stalls, refusals, restarts, TLS with client certs and
 * ACL.
 */
class ConnectionSupervisorIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  private static MqttSettings fast(String url, String clientId) {
    return MqttSettings.of(url, clientId)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(800))
        .withKeepAlive(5);
  }

  private ConnectionSupervisor supervisor(MqttSettings s) {
    return closeLater(new ConnectionSupervisor(new PahoTransport(), s));
  }

  @Test
  void publish_userProperties_foreignSubscriberSeesThem() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    var sub = closeLater(MosquittoClients.subscribe(Conn.to(broker), "haulproof/#", "%t %P %x"));
    sub.awaitSubscribed(broker, WAIT);
    ConnectionSupervisor sup = supervisor(fast(broker.url(), "truck-1"));
    sup.start();
    Await.until(sup::isConnected, WAIT, sup::lastError);
    // when
    sup.publish(
            MqttMessage.of("haulproof/v1/f/truck-1/entries", Bytes.fromHex("a101"))
                .withUserProperties(
                    List.of(
                        new MqttMessage.UserProperty("index", "0"),
                        new MqttMessage.UserProperty("kind", "collection"))))
        .get(30, TimeUnit.SECONDS);
    // then
    assertThat(sub.awaitLines(1, WAIT))
        .containsExactly("haulproof/v1/f/truck-1/entries index:0 kind:collection a101");
  }

  /** A subscriber on a persistent session whose subscription is up (SUBACK seen). */
  private ConnectionSupervisor subscribed(
      MosquittoProcess broker, String clientId, ConnectionSupervisor.AsyncMessageHandler h)
      throws Exception {
    ConnectionSupervisor sup = supervisor(fast(broker.url(), clientId).withPersistentSession(600));
    CompletableFuture<Void> ready = new CompletableFuture<>();
    sup.onConnected(() -> ready.complete(null));
    sup.subscribeAsync("async/#", 1, h);
    sup.start();
    ready.get(60, TimeUnit.SECONDS);
    return sup;
  }

  /**
   * What a new session of {@code ledger-a} receives up to a message published after it subscribed
   * (so everything the broker still held for the session comes first).
   */
  private List<String> nextSessionSees(MosquittoProcess broker) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    subscribed(
        broker,
        "ledger-a",
        m -> {
          seen.add(m.payload().toHex());
          return CompletableFuture.completedFuture(null);
        });
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/2", "y"));
    Await.until(() -> seen.contains("79"), WAIT, seen::toString);
    return seen;
  }

  @Test
  void subscribeAsync_stageFails_sessionDroppedAndBrokerRedelivers() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    List<String> seen = new CopyOnWriteArrayList<>();
    ConnectionSupervisor sup =
        subscribed(
            broker,
            "ledger-a",
            m -> {
              seen.add(m.payload().toHex());
              return seen.size() == 1
                  ? CompletableFuture.failedFuture(new java.io.IOException("database down"))
                  : CompletableFuture.completedFuture(null);
            });
    // when
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/1", "x"));
    // then
    Await.until(() -> seen.size() >= 2 && sup.connects() >= 2, WAIT, seen::toString);
    assertThat(seen).containsOnly("78");
    assertThat(sup.lastError()).contains("database down");
  }

  @Test
  void subscribeAsync_sessionDropped_unackedStagesCancelledAndRedelivered() throws Exception {
    // given: the first message is held (work still queued), the second fails and drops the session
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    ConnectionSupervisor sup =
        subscribed(
            broker,
            "ledger-a",
            m -> {
              seen.add(m.payload().toHex());
              if (m.payload().toHex().equals("78") && held.isEmpty()) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                held.add(f);
                return f;
              }
              if (m.payload().toHex().equals("79")
                  && seen.indexOf("79") == seen.size() - 1
                  && seen.stream().filter("79"::equals).count() == 1) {
                return CompletableFuture.failedFuture(new java.io.IOException("database down"));
              }
              return CompletableFuture.completedFuture(null);
            });
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/1", "x"));
    Await.until(() -> !held.isEmpty(), WAIT, seen::toString);
    // when
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/2", "y"));
    // then: the held work is cancelled with its session, and both come again on the next one
    Await.until(() -> held.get(0).isCancelled(), WAIT, seen::toString);
    Await.until(
        () ->
            seen.stream().filter("78"::equals).count() >= 2
                && seen.stream().filter("79"::equals).count() >= 2
                && sup.connects() >= 2,
        WAIT,
        seen::toString);
    assertThat(sup.lastError()).contains("database down");
  }

  @Test
  void persistentSession_reconnect_retainedNotSentAgainButLiveMessagesArrive() throws Exception {
    // given: a retained message, and a persistent session through a proxy that can cut it
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    MosquittoClients.publish(
        Conn.to(broker), MosquittoClients.Message.of("async/enrolled", "r").retain());
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD));
    List<String> seen = new CopyOnWriteArrayList<>();
    ConnectionSupervisor sup = supervisor(fast(proxy.url(), "ledger-a").withPersistentSession(600));
    sup.subscribe("async/#", 1, m -> seen.add(m.payload().toHex()));
    sup.start();
    Await.until(() -> seen.contains("72"), WAIT, seen::toString);
    // when
    proxy.cutAll();
    Await.until(() -> sup.connects() == 2, WAIT, sup::lastError);
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/1", "x"));
    // then: resubscribed, but the retained message came once
    Await.until(() -> seen.contains("78"), WAIT, seen::toString);
    assertThat(broker.logText().split("Received SUBSCRIBE from ledger-a", -1)).hasSize(3);
    assertThat(seen).containsExactly("72", "78");
  }

  @Test
  void cleanSession_reconnect_retainedSentAgain() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    MosquittoClients.publish(
        Conn.to(broker), MosquittoClients.Message.of("async/enrolled", "r").retain());
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD));
    List<String> seen = new CopyOnWriteArrayList<>();
    ConnectionSupervisor sup = supervisor(fast(proxy.url(), "truck-a"));
    sup.subscribe("async/#", 1, m -> seen.add(m.payload().toHex()));
    sup.start();
    Await.until(() -> seen.contains("72"), WAIT, seen::toString);
    // when
    proxy.cutAll();
    // then: a new session is a new subscription, so the retained message comes again
    Await.until(() -> seen.size() == 2, WAIT, seen::toString);
    assertThat(seen).containsExactly("72", "72");
  }

  @Test
  void subscribeAsync_stageNeverCompletes_notAckedSoNextSessionGetsIt() throws Exception {
    // given: a handler that holds every message (the work is still running when the process dies)
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    List<String> held = new CopyOnWriteArrayList<>();
    ConnectionSupervisor first =
        subscribed(
            broker,
            "ledger-a",
            m -> {
              held.add(m.payload().toHex());
              return new CompletableFuture<>();
            });
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/1", "x"));
    Await.until(() -> !held.isEmpty(), WAIT, held::toString);
    assertThat(broker.logText()).doesNotContain("Received PUBACK from ledger-a");
    // when
    first.close();
    List<String> seen = nextSessionSees(broker);
    // then: the unacknowledged message comes again, before the later one
    assertThat(seen).containsExactly("78", "79");
  }

  @Test
  void subscribeAsync_stageCompleted_ackedSoNextSessionDoesNotGetItAgain() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    List<String> handled = new CopyOnWriteArrayList<>();
    ConnectionSupervisor first =
        subscribed(
            broker,
            "ledger-a",
            m -> {
              handled.add(m.payload().toHex());
              return CompletableFuture.supplyAsync(() -> null);
            });
    MosquittoClients.publish(Conn.to(broker), MosquittoClients.Message.of("async/1", "x"));
    Await.until(
        () -> broker.logText().contains("Received PUBACK from ledger-a"), WAIT, broker::logText);
    // when
    first.close();
    List<String> seen = nextSessionSees(broker);
    // then
    assertThat(seen).containsExactly("79");
  }

  @Test
  void birthAndWill_connectionCut_statusBecomesOfflineRetained() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD));
    String status = "haulproof/v1/f/truck-1/status";
    ConnectionSupervisor sup =
        supervisor(
            fast(proxy.url(), "truck-1")
                .withWill(
                    MqttMessage.of(
                            status,
                            Bytes.of("{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8)))
                        .asRetained()));
    sup.birth(
        () ->
            MqttMessage.of(
                    status, Bytes.of("{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8)))
                .asRetained());
    sup.start();
    Await.until(sup::isConnected, WAIT, sup::lastError);
    var before = MosquittoClients.subscribe(Conn.to(broker), status, "%r %p");
    List<String> birth = before.awaitLines(1, WAIT);
    before.close();
    // when
    proxy.mode(TcpProxy.Mode.STALL);
    proxy.cutAll();
    // then
    var after = closeLater(MosquittoClients.subscribe(Conn.to(broker), status, "%r %p"));
    Await.until(
        () -> after.lines().contains("1 {\"state\":\"offline\"}"),
        WAIT,
        () -> after.lines().toString());
    assertThat(birth).containsExactly("1 {\"state\":\"online\"}");
  }

  @Test
  void stalledBeforeConnack_proxyFixed_supervisorRecreatesAndConnects() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.STALL));
    ConnectionSupervisor sup = supervisor(fast(proxy.url(), "truck-1"));
    // when
    sup.start();
    Await.until(() -> sup.watchdogFires() >= 2, WAIT, sup::lastError);
    boolean connectedWhileStalled = sup.isConnected();
    proxy.mode(TcpProxy.Mode.FORWARD);
    // then
    Await.until(sup::isConnected, WAIT, sup::lastError);
    assertThat(connectedWhileStalled).isFalse();
    assertThat(proxy.accepted()).isGreaterThanOrEqualTo(3);
    sup.publish(MqttMessage.of("t/x", Bytes.of((byte) 1))).get(30, TimeUnit.SECONDS);
  }

  @Test
  void stallAfterConnect_publishHangs_watchdogRecreatesClient() throws Exception {
    // given a connected supervisor whose network then silently swallows everything
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD));
    ConnectionSupervisor sup = supervisor(fast(proxy.url(), "truck-1").withKeepAlive(60));
    sup.start();
    Await.until(sup::isConnected, WAIT, sup::lastError);
    proxy.freeze(true); // sockets stay open, nothing gets through any more
    proxy.mode(TcpProxy.Mode.STALL);
    // when
    CompletableFuture<Void> hung = sup.publish(MqttMessage.of("t/x", Bytes.of((byte) 1)));
    // then
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> hung.get(60, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    Await.until(() -> sup.watchdogFires() >= 1, WAIT, sup::lastError);
    proxy.cutAll();
    proxy.freeze(false);
    proxy.mode(TcpProxy.Mode.FORWARD);
    Await.until(() -> sup.isConnected() && sup.connects() >= 2, WAIT, sup::lastError);
  }

  @Test
  void brokerReadsClientLate_stillSending_publishDeadlineMovesOnAndConnectionKept()
      throws Exception {
    // given a connected client that receives a steady QoS 0 stream, and a proxy that will keep
    // what the client sends from the broker (issue 10: Mosquitto read a busy ledger's packets,
    // receipts among them, 30 s late while it kept sending to it)
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD));
    ConnectionSupervisor sup =
        supervisor(
            fast(proxy.url(), "ledger-1")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1))
                .withKeepAlive(60));
    java.util.concurrent.atomic.AtomicLong fed = new java.util.concurrent.atomic.AtomicLong();
    sup.subscribe("feed/#", 0, m -> fed.incrementAndGet());
    sup.start();
    Await.until(() -> sup.connects() == 1, WAIT, sup::lastError);
    ConnectionSupervisor feeder = supervisor(fast(broker.url(), "feeder"));
    feeder.start();
    Await.until(feeder::isConnected, WAIT, feeder::lastError);
    var feed = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    toClose.add(feed::shutdownNow);
    MqttMessage tick =
        new MqttMessage("feed/x", Bytes.of((byte) 1), 0, false, List.of(), null, null);
    feed.scheduleAtFixedRate(() -> feeder.publish(tick), 0, 50, TimeUnit.MILLISECONDS);
    Await.until(() -> fed.get() > 0, WAIT, () -> "nothing fed");
    // when the broker gets the client's PUBLISH only after the PUBACK deadline has passed
    proxy.holdUpstream(true);
    CompletableFuture<Void> late = sup.publish(MqttMessage.of("t/x", Bytes.of((byte) 1)));
    Await.until(
        () -> sup.deadlinesStretched() >= 1 || sup.watchdogFires() >= 1, WAIT, sup::lastError);
    proxy.holdUpstream(false);
    // then the connection was kept and the publish went through on it
    late.get(30, TimeUnit.SECONDS);
    assertThat(sup.watchdogFires()).isZero();
    assertThat(sup.connects()).isEqualTo(1);
    assertThat(proxy.accepted()).isEqualTo(1);
  }

  @Test
  void badCredentials_refusedUntilBrokerFixed_thenConnects() throws Exception {
    // given
    MosquittoProcess broker =
        closeLater(
            MosquittoProcess.builder(tmp.resolve("b"))
                .passwords(Map.of("truck-1", "other"))
                .start());
    ConnectionSupervisor sup =
        supervisor(
            fast(broker.url(), "truck-1")
                .withCredentials(
                    "truck-1", new MqttSettings.Secret("s3cret".getBytes(StandardCharsets.UTF_8))));
    // when
    sup.start();
    Await.until(() -> sup.failures() >= 3, WAIT, sup::lastError);
    boolean connectedWhileRefused = sup.isConnected();
    broker.setPasswords(Map.of("truck-1", "s3cret"));
    broker.restart();
    // then
    Await.until(sup::isConnected, WAIT, sup::lastError);
    assertThat(connectedWhileRefused).isFalse();
  }

  @Test
  void brokerKilledAndRestarted_supervisorReconnectsAndResubscribes() throws Exception {
    // given
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    List<String> received = new CopyOnWriteArrayList<>();
    ConnectionSupervisor sup = supervisor(fast(broker.url(), "ledger"));
    sup.subscribe(
        "haulproof/v1/+/+/receipts",
        1,
        m -> received.add(new String(m.payload().toByteArray(), StandardCharsets.UTF_8)));
    sup.start();
    Await.until(sup::isConnected, WAIT, sup::lastError);
    // when
    broker.kill9();
    Await.until(() -> !sup.isConnected(), WAIT, "still connected after kill -9");
    broker.restart();
    // connects() counts a connect only after its resubscribe got its SUBACK
    Await.until(() -> sup.isConnected() && sup.connects() >= 2, WAIT, sup::lastError);
    var r =
        MosquittoClients.publish(
            Conn.to(broker),
            MosquittoClients.Message.of("haulproof/v1/f/truck-1/receipts", "after-restart"));
    // then
    assertThat(r.ok()).isTrue();
    Await.until(() -> received.contains("after-restart"), WAIT, received::toString);
  }

  @Test
  void tlsClientCert_ownTopicAccepted_otherDeviceTopicRejected() throws Exception {
    // given
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    MosquittoProcess broker =
        closeLater(
            MosquittoProcess.builder(tmp.resolve("b"))
                .tls(pki)
                .acl("pattern write haulproof/v1/+/%u/#\npattern read haulproof/v1/+/%u/#")
                .start());
    TestPki.Issued cert = pki.client("truck-1");
    ConnectionSupervisor sup =
        supervisor(
            fast(broker.url(), "truck-1")
                .withTls(TlsContexts.fromPem(pki.caPem(), cert.certPem(), cert.keyPem())));
    sup.start();
    Await.until(sup::isConnected, WAIT, sup::lastError);
    // when
    CompletableFuture<Void> own =
        sup.publish(MqttMessage.of("haulproof/v1/f/truck-1/entries", Bytes.of((byte) 1)));
    CompletableFuture<Void> other =
        sup.publish(MqttMessage.of("haulproof/v1/f/truck-2/entries", Bytes.of((byte) 1)));
    // then
    own.get(30, TimeUnit.SECONDS);
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> other.get(30, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(MqttRejectedException.class);
    assertThat(((MqttRejectedException) e.getCause()).reasonCode()).isEqualTo(0x87);
  }

  @Test
  void tls_serverCertForOtherHost_hostnameVerificationRefuses() throws Exception {
    // given a broker whose certificate names another host
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    MosquittoProcess broker =
        closeLater(
            MosquittoProcess.builder(tmp.resolve("b"))
                .tls(pki, pki.serverOnlyFor("broker.example"))
                .start());
    TestPki.Issued cert = pki.client("truck-1");
    ConnectionSupervisor sup =
        supervisor(
            fast(broker.url(), "truck-1")
                .withTls(TlsContexts.fromPem(pki.caPem(), cert.certPem(), cert.keyPem())));
    // when
    sup.start();
    Await.until(() -> sup.failures() >= 2, WAIT, sup::lastError);
    // then
    assertThat(sup.isConnected()).isFalse();
    assertThat(sup.connects()).isZero();
  }

  @Test
  void requestResponse_foreignRequester_replyCarriesCorrelationDataToResponseTopic()
      throws Exception {
    // given a device answering management requests
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("b")));
    ConnectionSupervisor sup = supervisor(fast(broker.url(), "truck-1"));
    sup.subscribe(
        "haulproof/v1/f/truck-1/mgmt/req",
        1,
        m ->
            sup.publish(
                m.reply(
                    Bytes.wrap(
                        ("ack:" + new String(m.payload().toByteArray(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8)))));
    sup.start();
    // connects() counts a connect only after its subscribe got its SUBACK
    Await.until(() -> sup.connects() >= 1, WAIT, sup::lastError);
    var res = closeLater(MosquittoClients.subscribe(Conn.to(broker), "tech/res/1", "%D %p"));
    res.awaitSubscribed(broker, WAIT);
    // when
    var r =
        MosquittoClients.publish(
            Conn.to(broker),
            MosquittoClients.Message.of("haulproof/v1/f/truck-1/mgmt/req", "inventory")
                .responseTopic("tech/res/1")
                .correlationData("c0ffee"));
    // then
    assertThat(r.ok()).as(r.stderr()).isTrue();
    assertThat(res.awaitLines(1, WAIT)).containsExactly("c0ffee ack:inventory");
  }

  @Test
  void tlsClientCertFromPkcs12_connectsAndPublishes() throws Exception {
    // given the device identity as a PKCS#12 bundle
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    MosquittoProcess broker =
        closeLater(
            MosquittoProcess.builder(tmp.resolve("b"))
                .tls(pki)
                .acl("pattern write haulproof/v1/+/%u/#")
                .start());
    TestPki.Issued cert = pki.client("truck-7");
    char[] pass = "p12-pass".toCharArray();
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "device",
        cert.privateKey(),
        pass,
        new java.security.cert.Certificate[] {cert.certificate()});
    Path p12 = tmp.resolve("truck-7.p12");
    try (var out = java.nio.file.Files.newOutputStream(p12)) {
      ks.store(out, pass);
    }
    ConnectionSupervisor sup =
        supervisor(
            fast(broker.url(), "truck-7").withTls(TlsContexts.fromPkcs12(pki.caPem(), p12, pass)));
    // when
    sup.start();
    // then
    Await.until(sup::isConnected, WAIT, sup::lastError);
    sup.publish(MqttMessage.of("haulproof/v1/f/truck-7/entries", Bytes.of((byte) 1)))
        .get(30, TimeUnit.SECONDS);
  }
}
