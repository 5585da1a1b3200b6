package io.haulproof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.uplink.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink broker's TLS identity and the certificates' expiry, against a real TLS listener on
 * loopback.
 */
class TlsAndCertificateTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private SSLServerSocket server;
  private final AtomicBoolean running = new AtomicBoolean(true);

  @AfterEach
  void stop() throws IOException {
    running.set(false);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void broker_tlsWithMatchingName_ok() throws Exception {
    // given
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    int port = serve(pki.server("localhost"));
    TestPki.Issued device = pki.client("depot-test");
    Gateway gw =
        new Gateway(dir)
            .withKey()
            .depot(
                "ssl://localhost:" + port,
                tls(pki, device),
                "tcp://127.0.0.1:1",
                Gateway.closedPort());

    // when
    List<Finding> found = new BrokerCheck(TIMEOUT).run(gw.load());

    // then
    assertThat(found.get(0).line())
        .startsWith("OK   uplink broker: ssl://localhost:" + port + " answers (TLS");
  }

  @Test
  void broker_tlsCertificateForAnotherName_fails() throws Exception {
    // given: the server presents a certificate for other.example
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    int port = serve(pki.serverOnlyFor("other.example"));
    TestPki.Issued device = pki.client("depot-test");
    Gateway gw =
        new Gateway(dir)
            .withKey()
            .depot(
                "ssl://localhost:" + port,
                tls(pki, device),
                "tcp://127.0.0.1:1",
                Gateway.closedPort());

    // when
    List<Finding> found = new BrokerCheck(TIMEOUT).run(gw.load());

    // then
    assertThat(found.get(0).line())
        .startsWith("FAIL uplink broker: ")
        .contains("TLS handshake failed");
  }

  @Test
  void broker_tlsSignedByAnotherCa_fails() throws Exception {
    // given: the config pins a different CA than the one that signed the server
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    TestPki other = TestPki.create(dir.resolve("other"), "Someone Else");
    int port = serve(other.server("localhost"));
    TestPki.Issued device = pki.client("depot-test");
    Gateway gw =
        new Gateway(dir)
            .withKey()
            .depot(
                "ssl://localhost:" + port,
                tls(pki, device),
                "tcp://127.0.0.1:1",
                Gateway.closedPort());

    // when
    List<Finding> found = new BrokerCheck(TIMEOUT).run(gw.load());

    // then
    assertThat(found.get(0).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void certificate_validForAYear_okWithDays() throws Exception {
    // given
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    Gateway gw =
        new Gateway(dir)
            .depot("ssl://localhost:1", tls(pki, pki.client("depot-test")), "tcp://127.0.0.1:1", 1);

    // when
    List<Finding> found = new CertificateCheck(Clock.systemUTC()).run(gw.load());

    // then
    assertThat(found)
        .extracting(Finding::line)
        .anyMatch(
            l ->
                l.startsWith("OK   certificate: ")
                    && l.contains("CN=depot-test")
                    && l.contains("days"))
        .anyMatch(l -> l.startsWith("OK   broker CA: "));
  }

  @Test
  void certificate_expiringInTenDays_warns() throws Exception {
    // given: the clock stands 355 days after issue (the test PKI issues for 365 days)
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    TestPki.Issued device = pki.client("depot-test");
    Instant later = device.certificate().getNotAfter().toInstant().minus(Duration.ofDays(10));
    Gateway gw =
        new Gateway(dir).depot("ssl://localhost:1", tls(pki, device), "tcp://127.0.0.1:1", 1);

    // when
    List<Finding> found = new CertificateCheck(Clock.fixed(later, ZoneOffset.UTC)).run(gw.load());

    // then
    assertThat(found.get(0).line()).startsWith("WARN certificate: ").contains("expires in 10 days");
  }

  @Test
  void certificate_expired_fails() throws Exception {
    // given
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    TestPki.Issued device = pki.client("depot-test");
    Instant after = device.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
    Gateway gw =
        new Gateway(dir).depot("ssl://localhost:1", tls(pki, device), "tcp://127.0.0.1:1", 1);

    // when
    List<Finding> found = new CertificateCheck(Clock.fixed(after, ZoneOffset.UTC)).run(gw.load());

    // then
    assertThat(found.get(0).line()).startsWith("FAIL certificate: ").contains("expired on");
  }

  @Test
  void certificate_fileMissing_fails() throws Exception {
    // given
    TestPki pki = TestPki.create(dir.resolve("pki"), "Test Fleet CA");
    String yaml =
        "  tls:\n    ca: "
            + pki.caPem()
            + "\n    cert: "
            + dir.resolve("gone.pem")
            + "\n    key: "
            + dir.resolve("gone.key")
            + "\n";
    Gateway gw = new Gateway(dir).depot("ssl://localhost:1", yaml, "tcp://127.0.0.1:1", 1);

    // when
    List<Finding> found = new CertificateCheck(Clock.systemUTC()).run(gw.load());

    // then
    assertThat(found.get(0).line()).startsWith("FAIL certificate: cannot read ");
  }

  private static String tls(TestPki pki, TestPki.Issued device) {
    return "  tls:\n    ca: "
        + pki.caPem()
        + "\n    cert: "
        + device.certPem()
        + "\n    key: "
        + device.keyPem()
        + "\n";
  }

  /** A TLS listener on loopback that completes handshakes and hangs up. */
  private int serve(TestPki.Issued cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "server",
        cert.privateKey(),
        new char[0],
        new java.security.cert.Certificate[] {cert.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  s.setSoTimeout(10_000);
                  s.startHandshake();
                } catch (IOException e) {
                  // a client that rejects our certificate aborts the handshake: expected in the
                  // failure tests
                  if (!running.get()) {
                    return;
                  }
                }
              }
            },
            "tls-listener");
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }
}
