package io.haulproof.uplink.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many more QoS 1 publishes at once than the broker's Receive Maximum, against a real Mosquitto:
 * all are delivered, in order, none refused. Paho alone refuses those beyond the window ("Too many
 * publishes in progress"), which lost enrollments in the 1,000-truck benchmark.
 */
class PublishWindowIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int BURST = 300;

  @TempDir Path tmp;

  private static ConnectionSupervisor client(MosquittoProcess broker, String id) {
    return new ConnectionSupervisor(
        new PahoTransport(),
        MqttSettings.of(broker.url(), id)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));
  }

  @Test
  void publish_burstBeyondReceiveMaximum_allDeliveredInOrder() throws Exception {
    try (MosquittoProcess broker =
            MosquittoProcess.builder(tmp.resolve("b")).maxInflight(5).start();
        ConnectionSupervisor receiver = client(broker, "burst-rx");
        ConnectionSupervisor sender = client(broker, "burst-tx")) {
      List<String> seen = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      receiver.subscribe(
          "burst/#",
          1,
          m -> seen.add(new String(m.payload().toByteArray(), StandardCharsets.UTF_8)));
      receiver.onConnected(() -> subscribed.complete(null)); // after the SUBACK
      receiver.start();
      subscribed.get(60, TimeUnit.SECONDS);
      sender.start();
      Await.until(sender::isConnected, WAIT, sender::lastError);
      // given a broker that takes 5 in flight, when 300 are published at once
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      List<String> want = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        want.add("m" + i);
        acks.add(
            sender.publish(
                MqttMessage.of("burst/x", Bytes.of(want.get(i).getBytes(StandardCharsets.UTF_8)))));
      }
      // then every one is acknowledged, and the receiver sees them all, in order
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      Await.until(() -> seen.size() >= BURST, WAIT, () -> seen.size() + " of " + BURST + " seen");
      assertThat(seen).containsExactlyElementsOf(want);
    }
  }
}
