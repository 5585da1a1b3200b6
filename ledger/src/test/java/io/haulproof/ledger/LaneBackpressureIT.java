package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.testing.Await;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 against a real Mosquitto: a ledger whose lanes are slow (each message takes 50 ms, as
 * when instances wait on each other's rows) and that is flooded with far more than its lanes work
 * off, while it publishes a receipt per message the way {@link LedgerService} does. Its lanes once
 * blocked Paho's callback thread when full; Paho then read nothing more from the socket, the
 * receipts' PUBACKs stayed unread past the publish deadline and the supervisor dropped the client,
 * again and again. Now the ledger announces a Receive Maximum and never blocks Paho's thread: no
 * deadline fires, the client is never dropped, and every message is handled.
 */
class LaneBackpressureIT {
  private static final int MESSAGES = 200;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  @Test
  void flood_slowLanesPublishingReceipts_clientNeverDroppedAndNothingLost() throws Exception {
    // given: a broker that would keep 100 messages in flight to a client that announces nothing
    try (MosquittoProcess broker =
            MosquittoProcess.builder(tmp.resolve("b")).maxInflight(100).start();
        DeviceLanes lanes = new DeviceLanes(1);
        ConnectionSupervisor ledger =
            new ConnectionSupervisor(
                new PahoTransport(50),
                MqttSettings.of(broker.url(), "slow-ledger")
                    .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)));
        ConnectionSupervisor fleet =
            new ConnectionSupervisor(
                new PahoTransport(),
                MqttSettings.of(broker.url(), "flooding-fleet")
                    .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
      Set<String> handled = ConcurrentHashMap.newKeySet();
      AtomicInteger receiptsAcked = new AtomicInteger();
      AtomicInteger receiptsLost = new AtomicInteger();
      ledger.subscribeAsync(
          "flood/+",
          1,
          m ->
              lanes.submit(
                  m.topic(),
                  () -> {
                    Thread.sleep(50); // a slow lane
                    String body = new String(m.payload().toByteArray(), StandardCharsets.UTF_8);
                    handled.add(body);
                    ledger
                        .publish(MqttMessage.of("receipts/" + body, Bytes.of(new byte[] {1})))
                        .whenComplete(
                            (v, ex) -> {
                              (ex == null ? receiptsAcked : receiptsLost).incrementAndGet();
                            });
                  }));
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      ledger.onConnected(() -> subscribed.complete(null));
      ledger.start();
      subscribed.get(60, TimeUnit.SECONDS);
      fleet.start();
      Await.until(fleet::isConnected, WAIT, fleet::lastError);

      // when: the fleet publishes far more at once than the lanes take in seconds
      CompletableFuture<?>[] sent = new CompletableFuture<?>[MESSAGES];
      for (int i = 0; i < MESSAGES; i++) {
        sent[i] =
            fleet.publish(
                MqttMessage.of(
                    "flood/d" + (i % 10), Bytes.of(("m" + i).getBytes(StandardCharsets.UTF_8))));
      }
      CompletableFuture.allOf(sent).get(60, TimeUnit.SECONDS);

      // then: every message is handled and its receipt acknowledged, no deadline fired and the
      // client was never dropped
      Await.until(
          () ->
              handled.size() >= MESSAGES && receiptsAcked.get() >= MESSAGES
                  || ledger.watchdogFires() > 0,
          WAIT,
          () -> handled.size() + " of " + MESSAGES + " handled, " + receiptsAcked + " receipts");
      assertThat(ledger.watchdogFires()).as(ledger.lastError()).isZero();
      assertThat(ledger.connects()).isEqualTo(1);
      assertThat(receiptsLost).hasValue(0);
      assertThat(handled).hasSize(MESSAGES);
    }
  }
}
