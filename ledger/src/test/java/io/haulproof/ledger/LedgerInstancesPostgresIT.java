package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.testing.LedgerProcess;
import io.haulproof.ledger.testing.PostgresProcess;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger processes on one real PostgreSQL and one Mosquitto share the work through an MQTT 5
 * shared subscription; two real device senders publish; one instance is killed with SIGKILL in the
 * middle of the load. Delivery across instances is out of order by nature.
 */
class LedgerInstancesPostgresIT {
  private static final Duration WAIT = Duration.ofSeconds(240);
  private static final String FLEET = "fleet-a";

  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  private static long query(Connection c, String sql, String device) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, device);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : -1;
      }
    }
  }

  /** The evidence rows of a device (kind, index, reason), for a failure message. */
  private static String evidenceRows(Connection c, String device) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (PreparedStatement s =
        c.prepareStatement("SELECT kind, idx, reason FROM evidence WHERE device = ? ORDER BY id")) {
      s.setString(1, device);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.append('[')
              .append(r.getString(1))
              .append(' ')
              .append(r.getLong(2))
              .append(": ")
              .append(r.getString(3))
              .append("] ");
        }
      }
    }
    return out.toString();
  }

  private static long bound(PostgresProcess pg, String db, String device) {
    try (Connection c = pg.connect(db)) {
      return query(c, "SELECT confirmed FROM devices WHERE device = ?", device);
    } catch (SQLException e) {
      return -2;
    }
  }

  @Test
  void threeInstances_outOfOrder_oneKilled9MidLoad_everyEntryBoundOnceAndCosigned()
      throws Exception {
    // given PostgreSQL, a broker with persistence, one witness key for all instances
    PostgresProcess pg = closeLater(PostgresProcess.start());
    String db = pg.newDatabase();
    MosquittoProcess broker =
        closeLater(MosquittoProcess.builder(tmp.resolve("broker")).persistence(true).start());
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    Path witness = tmp.resolve("witness");
    var witnessKey = WitnessKey.loadOrCreate(witness);
    List<SignedLog> logs = List.of(new SignedLog("truck-1", 21), new SignedLog("truck-2", 22));
    List<LedgerProcess> ledgers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path data = tmp.resolve("ledger-" + i);
      Files.createDirectories(data.resolve("devices"));
      Files.createDirectories(data.resolve("witness"));
      for (String f : List.of("witness.p8", "witness.pub.pem")) {
        Files.copy(witness.resolve(f), data.resolve("witness").resolve(f));
      }
      Files.createDirectories(data.resolve("trust"));
      Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
      for (SignedLog l : logs) {
        TestPki.writePem(
            data.resolve("devices/" + l.deviceId() + ".pem"),
            pki.deviceCertificate(l.deviceId(), l.key().publicKey()));
      }
      ledgers.add(
          closeLater(
              LedgerProcess.start(
                  broker.url(),
                  data,
                  data.resolve("trust/fleet-ca.pem"),
                  FLEET,
                  db,
                  "ledger-" + i)));
    }
    List<MqttUplink> uplinks = new ArrayList<>();
    for (SignedLog l : logs) {
      MqttSettings s =
          MqttSettings.of(broker.url(), l.deviceId())
              .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
              .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
      uplinks.add(
          closeLater(
              new MqttUplink(
                  new MqttUplink.Config(
                      new Topics(FLEET, l.deviceId()),
                      s,
                      tmp.resolve("dev-" + l.deviceId()),
                      Outbox.Settings.defaults(),
                      new CheckpointPublisher.Settings(Duration.ofMillis(500), 100),
                      witnessKey.publicKey(),
                      "test",
                      l.key().kid().toHex()),
                  l,
                  l,
                  new CheckpointPublisher.ReceiptListener() {
                    @Override
                    public void cosigned(ReceiptMessage.Cosigned r) {}

                    @Override
                    public void fork(ReceiptMessage.Conflict c) {}
                  })));
    }
    // when the trucks publish 600 entries each in chunks, and instance 2 dies mid-load
    for (SignedLog l : logs) {
      l.append(200);
      l.checkpoint(FLEET);
    }
    uplinks.forEach(MqttUplink::start);
    for (int chunk = 1; chunk < 3; chunk++) {
      for (SignedLog l : logs) {
        l.append(200);
        l.checkpoint(FLEET);
      }
      if (chunk == 1) {
        Await.until(
            () -> bound(pg, db, "truck-1") >= 200, WAIT, () -> "bound " + bound(pg, db, "truck-1"));
        ledgers.get(1).kill9();
      }
    }
    // then every entry of both trucks is bound exactly once, in place, and the last checkpoint
    // is cosigned
    for (SignedLog l : logs) {
      Await.until(
          () -> bound(pg, db, l.deviceId()) == 600,
          WAIT,
          () -> l.deviceId() + " bound " + bound(pg, db, l.deviceId()));
    }
    try (Connection c = pg.connect(db)) {
      for (SignedLog l : logs) {
        String d = l.deviceId();
        assertThat(query(c, "SELECT COUNT(*) FROM entries WHERE device = ?", d)).isEqualTo(600);
        assertThat(query(c, "SELECT COUNT(DISTINCT idx) FROM entries WHERE device = ?", d))
            .isEqualTo(600);
        assertThat(query(c, "SELECT MAX(idx) FROM entries WHERE device = ?", d)).isEqualTo(599);
        assertThat(
                query(
                    c,
                    "SELECT COUNT(*) FROM evidence WHERE device = ? AND kind IN ('conflict',"
                        + " 'fork', 'rollback')",
                    d))
            .as("evidence rows of %s: %s", d, evidenceRows(c, d))
            .isZero();
        Await.until(
            () -> {
              try (Connection c2 = pg.connect(db)) {
                return query(
                        c2,
                        "SELECT MAX(size) FROM checkpoints WHERE device = ? AND cosigned_at IS NOT"
                            + " NULL",
                        d)
                    == 600;
              } catch (SQLException e) {
                return false;
              }
            },
            WAIT,
            "checkpoint 600 of " + d + " cosigned");
        try (PreparedStatement s =
            c.prepareStatement("SELECT idx, cose FROM entries WHERE device = ? ORDER BY idx")) {
          s.setString(1, d);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              assertThat(Bytes.wrap(r.getBytes(2)))
                  .as("%s entry %d", d, r.getLong(1))
                  .isEqualTo(l.read(r.getLong(1)));
            }
          }
        }
      }
    }
    // and the two surviving instances both did part of the work
    assertThat(ledgers.get(0).metric("haulproof_ledger_events_total{event=\"entry.buffered\"}"))
        .isPositive();
    assertThat(ledgers.get(2).metric("haulproof_ledger_events_total{event=\"entry.buffered\"}"))
        .isPositive();
  }
}
