package io.haulproof.uplink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.uplink.testing.MosquittoClients.Conn;
import io.haulproof.uplink.testing.MosquittoClients.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the Mosquitto fixture: plain, restart on the same port, password file, TLS with client
 * certs and ACL.
 */
class MosquittoProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private MosquittoProcess broker;

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void plainBroker_publishWithUserProperties_subscriberSeesPayloadAndProperties() throws Exception {
    // given
    broker = MosquittoProcess.startPlain(tmp.resolve("b"));
    try (var sub = MosquittoClients.subscribe(Conn.to(broker), "t/#", "%t %P %x")) {
      sub.awaitSubscribed(broker, WAIT);
      // when
      var r =
          MosquittoClients.publish(
              Conn.to(broker),
              Message.of("t/a", new byte[] {1, 2, (byte) 0xff}).userProperty("index", "7"));
      // then
      assertThat(r.ok()).as(r.stderr()).isTrue();
      List<String> lines = sub.awaitLines(1, WAIT);
      assertThat(lines).containsExactly("t/a index:7 0102ff");
    }
  }

  @Test
  void kill9ThenRestart_samePort_acceptsAgain() throws Exception {
    // given
    broker = MosquittoProcess.startPlain(tmp.resolve("b"));
    int port = broker.port();
    long pid = broker.pid();
    // when
    broker.kill9();
    boolean acceptsWhileDead = FreePort.accepts(port);
    broker.restart();
    // then
    assertThat(acceptsWhileDead).isFalse();
    assertThat(broker.port()).isEqualTo(port);
    assertThat(broker.pid()).isNotEqualTo(pid);
    assertThat(MosquittoClients.publish(Conn.to(broker), Message.of("x", "y")).ok()).isTrue();
  }

  @Test
  void passwordFile_wrongPassword_refusedUntilFixed() {
    // given
    broker =
        MosquittoProcess.builder(tmp.resolve("b")).passwords(Map.of("truck-1", "right")).start();
    // when
    var wrong =
        MosquittoClients.publish(
            Conn.to(broker).credentials("truck-1", "wrong"), Message.of("x", "y"));
    var right =
        MosquittoClients.publish(
            Conn.to(broker).credentials("truck-1", "right"), Message.of("x", "y"));
    var anonymous = MosquittoClients.publish(Conn.to(broker), Message.of("x", "y"));
    // then
    assertThat(wrong.ok()).isFalse();
    assertThat(anonymous.ok()).isFalse();
    assertThat(right.ok()).as(right.stderr()).isTrue();
  }

  @Test
  void tlsWithAcl_deviceWritesOnlyItsOwnTopics() throws Exception {
    // given
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Test Fleet CA");
    broker =
        MosquittoProcess.builder(tmp.resolve("b"))
            .tls(pki)
            .acl("user ledger\ntopic read haulproof/v1/#\n\npattern write haulproof/v1/+/%u/#")
            .start();
    var ledger = pki.client("ledger");
    var truck1 = pki.client("truck-1");
    try (var sub =
        MosquittoClients.subscribe(Conn.to(broker).clientCert(ledger), "haulproof/v1/#", "%t %p")) {
      sub.awaitSubscribed(broker, WAIT);
      // when
      var spoof =
          MosquittoClients.publish(
              Conn.to(broker).clientCert(truck1),
              Message.of("haulproof/v1/f/truck-2/entries", "spoofed"));
      var noCert =
          MosquittoClients.publish(
              Conn.to(broker), Message.of("haulproof/v1/f/truck-1/entries", "nocert"));
      var own =
          MosquittoClients.publish(
              Conn.to(broker).clientCert(truck1),
              Message.of("haulproof/v1/f/truck-1/entries", "mine"));
      // then
      assertThat(own.ok()).as(own.stderr()).isTrue();
      assertThat(noCert.ok()).isFalse();
      List<String> lines = sub.awaitLines(1, WAIT);
      assertThat(lines)
          .as("spoof result %s; broker log %s", spoof, broker.logText())
          .containsExactly("haulproof/v1/f/truck-1/entries mine");
    }
  }
}
