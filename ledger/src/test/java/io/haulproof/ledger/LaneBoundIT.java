package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's lane bound against a real Mosquitto 2.0.11: what the broker actually keeps in flight
 * to a ledger that acknowledges nothing (the fact the default bound rests on), and the shed path
 * end to end on a broker without an in-flight limit (the stage fails, the session is dropped, the
 * broker redelivers, nothing is lost).
 */
class LaneBoundIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  private static ConnectionSupervisor fleet(MosquittoProcess broker) {
    return new ConnectionSupervisor(
        new PahoTransport(),
        MqttSettings.of(broker.url(), "flooding-fleet")
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)));
  }

  private static void flood(ConnectionSupervisor fleet, int messages) throws Exception {
    Await.until(fleet::isConnected, WAIT, fleet::lastError);
    CompletableFuture<?>[] sent = new CompletableFuture<?>[messages];
    for (int i = 0; i < messages; i++) {
      sent[i] =
          fleet.publish(
              MqttMessage.of(
                  "flood/d" + (i % 10), Bytes.of(("m" + i).getBytes(StandardCharsets.UTF_8))));
    }
    CompletableFuture.allOf(sent).get(60, TimeUnit.SECONDS);
  }

  private static int sentTo(MosquittoProcess broker, String clientId) {
    Matcher m =
        Pattern.compile("Sending PUBLISH to " + Pattern.quote(clientId) + " ")
            .matcher(broker.logText());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void brokerInflightAtReceiveMaximum_ledgerAcksNothing_fewerWaitThanTheDefaultBound()
      throws Exception {
    // given: the broker set as documented (max_inflight_messages = the ledger's Receive Maximum)
    // and a ledger whose only lane is stuck, so it acknowledges nothing
    int inflight = LedgerService.RECEIVE_MAXIMUM;
    AtomicInteger shed = new AtomicInteger();
    CountDownLatch stuck = new CountDownLatch(1);
    try (MosquittoProcess broker =
            MosquittoProcess.builder(tmp.resolve("b")).maxInflight(inflight).start();
        DeviceLanes lanes = new DeviceLanes(1, DeviceLanes.defaultBound(), shed::incrementAndGet);
        ConnectionSupervisor ledger =
            new ConnectionSupervisor(
                new PahoTransport(LedgerService.RECEIVE_MAXIMUM),
                MqttSettings.of(broker.url(), "stuck-ledger"));
        ConnectionSupervisor fleet = fleet(broker)) {
      AtomicInteger arrived = new AtomicInteger();
      ledger.subscribeAsync(
          "flood/+",
          1,
          m -> {
            arrived.incrementAndGet();
            return lanes.submit("one-device", () -> stuck.await(120, TimeUnit.SECONDS));
          });
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      ledger.onConnected(() -> subscribed.complete(null));
      ledger.start();
      subscribed.get(60, TimeUnit.SECONDS);
      fleet.start();

      // when: far more than the window is published, and all of it reached the broker
      flood(fleet, 3 * inflight);

      // then: once all the broker sent has arrived, fewer than the bound wait and none was shed
      Await.until(
          () -> arrived.get() > 0 && arrived.get() == sentTo(broker, "stuck-ledger"),
          WAIT,
          () -> arrived + " arrived, broker sent " + sentTo(broker, "stuck-ledger"));
      System.out.printf(
          "max_inflight_messages %d, Receive Maximum %d: %d unacknowledged sent, %d waiting%n",
          inflight, LedgerService.RECEIVE_MAXIMUM, arrived.get(), lanes.queued());
      assertThat(arrived.get()).isLessThan(DeviceLanes.defaultBound());
      assertThat(shed).hasValue(0);
      assertThat(ledger.connects()).isEqualTo(1);
      stuck.countDown();
    }
  }

  @Test
  void brokerWithoutInflightLimit_floodPastBound_shedSessionDroppedAndNothingLost()
      throws Exception {
    // given: a broker that sends without limit (max_inflight_messages 0), a ledger with a
    // persistent session and lanes bounded at 100, its lane stuck until the bound is reached
    int messages = 600;
    AtomicInteger shed = new AtomicInteger();
    CountDownLatch stuck = new CountDownLatch(1);
    try (MosquittoProcess broker =
            MosquittoProcess.builder(tmp.resolve("b")).maxInflight(0).start();
        DeviceLanes lanes = new DeviceLanes(1, 100, shed::incrementAndGet);
        ConnectionSupervisor ledger =
            new ConnectionSupervisor(
                new PahoTransport(LedgerService.RECEIVE_MAXIMUM),
                MqttSettings.of(broker.url(), "bounded-ledger")
                    .withPersistentSession(300)
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        ConnectionSupervisor fleet = fleet(broker)) {
      Set<String> handled = ConcurrentHashMap.newKeySet();
      AtomicInteger arrived = new AtomicInteger();
      ledger.subscribeAsync(
          "flood/+",
          1,
          m -> {
            arrived.incrementAndGet();
            return lanes.submit(
                "one-device",
                () -> {
                  stuck.await(120, TimeUnit.SECONDS);
                  handled.add(new String(m.payload().toByteArray(), StandardCharsets.UTF_8));
                });
          });
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      ledger.onConnected(() -> subscribed.complete(null));
      ledger.start();
      subscribed.get(60, TimeUnit.SECONDS);
      fleet.start();

      // when: more than the bound arrives while the lane is stuck
      flood(fleet, messages);
      Await.until(() -> shed.get() > 0, WAIT, () -> arrived + " arrived, none shed");
      stuck.countDown();

      // then: the session was dropped, the broker redelivered, and every message was handled
      Await.until(
          () -> handled.size() == messages,
          WAIT,
          () ->
              handled.size() + " of " + messages + " handled, " + ledger.connects() + " connects");
      System.out.printf(
          "bound 100, %d messages: %d arrivals, %d shed, %d connects%n",
          messages, arrived.get(), shed.get(), ledger.connects());
      // the shed messages came back only on a new session; the supervisor counts a connect once its
      // SUBACKs are in, and a persistent session's queue arrives right after the CONNACK, before
      // them: wait for the count rather than read it (it read 1 once, session 10)
      Await.until(
          () -> ledger.connects() > 1, WAIT, () -> ledger.connects() + " connects after the shed");
      assertThat(lanes.queued()).isLessThanOrEqualTo(100);
    }
  }
}
