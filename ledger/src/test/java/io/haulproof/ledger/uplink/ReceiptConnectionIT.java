package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.testing.InProcessLedger;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 against a real Mosquitto: the broker reads a busy ledger's subscribing connection late
 * (Mosquitto reads one packet per connection per turn of its loop, and on two busy cores a ledger's
 * PUBACKs queued up by the thousand). A receipt published on that connection waited behind all of
 * them, 30 s and more, and devices resent what they took for lost. Receipts now go out on a
 * connection of their own.
 */
class ReceiptConnectionIT {
  private static final String FLEET = "fleet-a";
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

  @Test
  void subscribingConnectionReadLate_checkpoint_receiptStillReachesDevice() throws Exception {
    // given a ledger whose subscribing connection goes through a proxy that will keep what the
    // ledger sends there (its PUBACKs) from the broker, while the broker's messages still reach it
    MosquittoProcess broker = closeLater(MosquittoProcess.startPlain(tmp.resolve("broker")));
    TcpProxy proxy = closeLater(new TcpProxy(broker.port(), TcpProxy.Mode.FORWARD));
    SignedLog log = new SignedLog("truck-1", 31);
    InProcessLedger ledger =
        closeLater(
            new InProcessLedger(tmp.resolve("l"))
                .register(log)
                .startWithReceiptsConnection(proxy.url(), broker.url()));
    Await.until(
        () -> ledger.service().connection().connects() == 1,
        WAIT,
        () -> ledger.service().connection().lastError());
    UplinkLedgerIT.Receipts receipts = new UplinkLedgerIT.Receipts();
    MqttUplink device =
        closeLater(
            new MqttUplink(
                new MqttUplink.Config(
                    new Topics(FLEET, log.deviceId()),
                    MqttSettings.of(broker.url(), log.deviceId())
                        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
                        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                    tmp.resolve("dev"),
                    Outbox.Settings.defaults(),
                    new CheckpointPublisher.Settings(Duration.ofMillis(500), 100),
                    ledger.ledger().witnessPublicKey(),
                    "test",
                    log.key().kid().toHex()),
                log,
                log,
                receipts));
    proxy.holdUpstream(true);
    long upBeforeHold = proxy.upBytes();
    // when the device sends a few entries (below the broker's in-flight window of 20) and a
    // checkpoint
    log.append(5);
    log.checkpoint(FLEET);
    device.start();
    // then the cosigned receipt reaches the device although the broker has read nothing the
    // ledger sent on its subscribing connection since
    Await.until(
        () -> receipts.cosigned.stream().anyMatch(r -> r.size() == 5),
        WAIT,
        () -> "receipts " + receipts.cosigned.size() + ", ledger " + ledger.ledger().counters());
    assertThat(proxy.upBytes()).isEqualTo(upBeforeHold);
    proxy.holdUpstream(false);
    assertThat(receipts.forks).isEmpty();
    assertThat(ledger.service().connection().connects()).isEqualTo(1);
  }
}
