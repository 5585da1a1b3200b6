package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.testing.InProcessLedger;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.EntrySource;
import io.haulproof.uplink.outbox.LostEntryException;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lost record crosses a real Mosquitto as a {@code kind=lost} placeholder; the ledger records a
 * gap.
 */
class LostEntryMqttIT {
  static final String FLEET = "fleet-a";
  private static final Duration WAIT = Duration.ofSeconds(120);
  @TempDir Path tmp;

  /** The signed log, except that record {@code lost} cannot be read (quarantined). */
  private record Damaged(SignedLog log, long lost) implements EntrySource {
    @Override
    public long size() {
      return log.size();
    }

    @Override
    public Bytes read(long index) {
      if (index == lost) {
        throw new LostEntryException(index, Rfc9162.leafHash(log.read(index)), null);
      }
      return log.read(index);
    }

    @Override
    public void onCommit(LongConsumer newSize) {
      log.onCommit(newSize);
    }
  }

  @Test
  void lostRecord_overMqtt_gapRecordedAndCheckpointCosigned() throws Exception {
    // given
    SignedLog log = new SignedLog("truck-1", 21);
    log.append(10);
    log.appendLoss(4); // the device's signed statement that record 4 was quarantined
    log.checkpoint(FLEET);
    List<ReceiptMessage.Cosigned> cosigned = new CopyOnWriteArrayList<>();
    try (MosquittoProcess broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
        InProcessLedger ledger =
            new InProcessLedger(tmp.resolve("l")).register(log).start(broker.url())) {
      MqttUplink up =
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
              new Damaged(log, 4),
              log,
              cosigned::add);
      try {
        // when
        up.start();
        // The witness cosigns a checkpoint independently of the entries' arrival, so wait for both.
        Topics topics = new Topics(FLEET, log.deviceId());
        Await.until(
            () -> {
              DeviceLedger dl = ledger.ledger().device(topics);
              return cosigned.stream().anyMatch(r -> r.size() == 11)
                  && dl != null
                  && dl.stored() == 11;
            },
            WAIT,
            () -> ledger.ledger().counters().toString());
      } finally {
        up.close();
      }
      // then
      DeviceLedger d = ledger.ledger().device(new Topics(FLEET, log.deviceId()));
      assertThat(d.stored()).isEqualTo(11);
      assertThat(d.isLost(4)).isTrue();
      for (long i = 0; i < 11; i++) {
        if (i != 4) {
          assertThat(d.isLost(i)).isFalse();
          assertThat(d.entry(i)).isEqualTo(log.read(i));
        }
      }
      assertThat(d.root(11)).isEqualTo(log.root(11));
      assertThat(ledger.ledger().counters())
          .containsKey("lost.bound"); // bound because the signed loss entry names index 4
      assertThat(up.outbox().lostSent()).isGreaterThanOrEqualTo(1);
    }
  }
}
