package io.haulproof.agent.poah;

import io.haulproof.authenticator.wire.PoahCodec;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.poah.PoahTopics;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test's own MQTT client on the fleet's PoAh topics: publishes crafted messages and collects
 * rejections and evidence of every chain, for waiting on.
 */
final class PoahWatcher implements AutoCloseable {
  record Seen(String topic, Bytes payload) {}

  private final ConnectionSupervisor mqtt;
  private final String fleet;
  private final List<Seen> seen = new ArrayList<>();

  PoahWatcher(String broker, String fleet, String clientId) throws Exception {
    this.fleet = fleet;
    this.mqtt =
        new ConnectionSupervisor(
            new PahoTransport(),
            MqttSettings.of(broker, clientId)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
    for (String kind : List.of("rejection", "evidence")) {
      mqtt.subscribe(PoahTopics.everyChain(fleet, kind), 1, this::onMessage);
    }
    CountDownLatch up = new CountDownLatch(1);
    mqtt.onConnected(up::countDown);
    mqtt.start();
    if (!up.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("watcher did not connect: " + mqtt.lastError());
    }
  }

  private void onMessage(MqttMessage m) {
    synchronized (seen) {
      seen.add(new Seen(m.topic(), m.payload()));
      seen.notifyAll();
    }
  }

  void propose(String chain, PoahWire.Proposal p) throws Exception {
    send(PoahTopics.proposal(fleet, chain), p);
  }

  void send(String topic, PoahWire m) throws Exception {
    mqtt.publish(MqttMessage.of(topic, PoahCodec.encode(m))).get(30, TimeUnit.SECONDS);
  }

  /** Waits until {@code count} rejections on {@code chain} match {@code p}; returns them. */
  List<PoahWire.Rejection> rejections(
      String chain, int count, Predicate<PoahWire.Rejection> p, Duration timeout) throws Exception {
    String topic = PoahTopics.rejection(fleet, chain);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      while (true) {
        List<PoahWire.Rejection> out = new ArrayList<>();
        for (Seen s : seen) {
          if (s.topic().equals(topic)
              && PoahCodec.decode(s.payload()) instanceof PoahWire.Rejection r
              && p.test(r)) {
            out.add(r);
          }
        }
        if (out.size() >= count) {
          return out;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "want " + count + " matching rejections on " + chain + ", have " + out);
        }
        seen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** Waits for evidence on {@code chain}; returns the evidence entry. */
  Bytes evidence(String chain, Duration timeout) throws Exception {
    String topic = PoahTopics.evidence(fleet, chain);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      while (true) {
        for (Seen s : seen) {
          if (s.topic().equals(topic)) {
            return s.payload();
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no evidence on " + chain);
        }
        seen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  @Override
  public void close() {
    mqtt.close();
  }
}
