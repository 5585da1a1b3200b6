package io.haulproof.uplink.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The supervisor's watchdog against a scripted transport that hangs exactly where Paho is known to.
 */
class ConnectionSupervisorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A transport whose n-th session can be told to hang on connect, subscribe or publish. */
  static final class ScriptedTransport implements MqttTransport {
    final List<String> hangs;
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();
    final List<Session> sessions = new CopyOnWriteArrayList<>();

    ScriptedTransport(List<String> hangs) {
      this.hangs = hangs;
    }

    final class Session implements MqttSession {
      final String hang;
      volatile boolean closed;
      final List<CompletableFuture<Void>> hungPublishes = new CopyOnWriteArrayList<>();

      Session(String hang) {
        this.hang = hang;
      }

      @Override
      public CompletableFuture<Void> publish(MqttMessage message) {
        if (hang.equals("publish") || hang.equals("publish-broker-sending")) {
          CompletableFuture<Void> f = new CompletableFuture<>();
          hungPublishes.add(f);
          return f;
        }
        return CompletableFuture.completedFuture(null);
      }

      /** "publish-broker-sending": the broker keeps sending while the PUBACK does not come. */
      @Override
      public long nanosSinceInbound() {
        return hang.equals("publish-broker-sending") ? 0 : Long.MAX_VALUE;
      }

      @Override
      public CompletableFuture<Void> subscribe(String filter, int qos) {
        return hang.equals("subscribe")
            ? new CompletableFuture<>()
            : CompletableFuture.completedFuture(null);
      }

      @Override
      public boolean isConnected() {
        return !closed;
      }

      @Override
      public void close() {
        closed = true;
      }
    }

    @Override
    public PendingConnect connect(MqttSettings settings, Listener listener) {
      int n = attempts.getAndIncrement();
      String hang = n < hangs.size() ? hangs.get(n) : "none";
      Session s = new Session(hang);
      sessions.add(s);
      CompletableFuture<MqttSession> f =
          hang.equals("connect")
              ? new CompletableFuture<>()
              : hang.equals("refuse")
                  ? CompletableFuture.failedFuture(new java.io.IOException("refused"))
                  : CompletableFuture.completedFuture(s);
      return new PendingConnect() {
        @Override
        public CompletableFuture<MqttSession> session() {
          return f;
        }

        @Override
        public void abandon() {
          abandoned.incrementAndGet();
          s.close();
        }
      };
    }
  }

  private static MqttSettings settings() {
    return MqttSettings.of("tcp://127.0.0.1:1", "t")
        .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(300))
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  @Test
  void connectHangsTwice_abandonedAndRetried_thenConnected() {
    // given
    ScriptedTransport t = new ScriptedTransport(List.of("connect", "connect"));
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(1))) {
      // when
      sup.start();
      // then
      Await.until(sup::isConnected, WAIT, sup::lastError);
      assertThat(t.attempts.get()).isEqualTo(3);
      assertThat(t.abandoned.get()).isEqualTo(2);
      assertThat(sup.watchdogFires()).isEqualTo(2);
    }
  }

  @Test
  void resubscribeHangs_clientRecreated_subscriptionRestoredOnNextSession() {
    // given the first session never answers SUBSCRIBE (Paho's resubscribe deadlock)
    ScriptedTransport t = new ScriptedTransport(List.of("subscribe"));
    List<Integer> connected = new ArrayList<>();
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(2))) {
      sup.subscribe("a/#", 1, m -> {});
      sup.onConnected(() -> connected.add(t.attempts.get()));
      // when
      sup.start();
      // then
      Await.until(() -> sup.connects() == 1, WAIT, sup::lastError);
      assertThat(t.sessions.get(0).closed).isTrue();
      assertThat(connected).containsExactly(2);
      assertThat(sup.watchdogFires()).isEqualTo(1);
    }
  }

  @Test
  void publishHangs_timesOutAndRecreates() throws Exception {
    // given
    ScriptedTransport t = new ScriptedTransport(List.of("publish"));
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(3))) {
      sup.start();
      Await.until(sup::isConnected, WAIT, sup::lastError);
      // when
      CompletableFuture<Void> f = sup.publish(MqttMessage.of("a/b", Bytes.of((byte) 1)));
      // then
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
      Await.until(() -> sup.connects() == 2, WAIT, sup::lastError);
      sup.publish(MqttMessage.of("a/b", Bytes.of((byte) 1))).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pubackLate_brokerStillSending_deadlineMovesOnAndSessionKept() throws Exception {
    // given a session whose broker keeps sending while a PUBACK is late
    ScriptedTransport t = new ScriptedTransport(List.of("publish-broker-sending"));
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(6))) {
      sup.start();
      Await.until(sup::isConnected, WAIT, sup::lastError);
      // when the PUBACK comes only after the deadline
      CompletableFuture<Void> f = sup.publish(MqttMessage.of("a/b", Bytes.of((byte) 1)));
      Await.until(
          () -> sup.deadlinesStretched() == 1 || sup.watchdogFires() > 0, WAIT, sup::lastError);
      t.sessions.get(0).hungPublishes.get(0).complete(null);
      // then
      f.get(10, TimeUnit.SECONDS);
      assertThat(sup.watchdogFires()).isZero();
      assertThat(t.sessions).hasSize(1);
      assertThat(t.sessions.get(0).closed).isFalse();
    }
  }

  @Test
  void pubackNeverComes_brokerStillSending_droppedAfterMaxStretch() throws Exception {
    // given a session whose broker keeps sending but never acknowledges one publish
    ScriptedTransport t = new ScriptedTransport(List.of("publish-broker-sending"));
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(7))) {
      sup.start();
      Await.until(sup::isConnected, WAIT, sup::lastError);
      long start = System.nanoTime();
      // when
      CompletableFuture<Void> f = sup.publish(MqttMessage.of("a/b", Bytes.of((byte) 1)));
      // then it fails after MAX_STRETCH deadlines (300 ms each), and the client is recreated
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300L * ConnectionSupervisor.MAX_STRETCH));
      assertThat(sup.deadlinesStretched()).isEqualTo(1);
      Await.until(() -> sup.connects() == 2, WAIT, sup::lastError);
      assertThat(t.sessions.get(0).closed).isTrue();
    }
  }

  @Test
  void firstConnectRefused_keepsRetrying() {
    // given (Paho itself does not retry after a failed first connect)
    ScriptedTransport t = new ScriptedTransport(List.of("refuse", "refuse", "refuse"));
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(4))) {
      // when
      sup.start();
      // then
      Await.until(sup::isConnected, WAIT, sup::lastError);
      assertThat(sup.failures()).isEqualTo(3);
    }
  }

  @Test
  void notConnected_publishFailsAtOnce() {
    // given
    ScriptedTransport t =
        new ScriptedTransport(List.of("connect", "connect", "connect", "connect"));
    try (ConnectionSupervisor sup = new ConnectionSupervisor(t, settings(), new Random(5))) {
      // when
      CompletableFuture<Void> f = sup.publish(MqttMessage.of("a/b", Bytes.of((byte) 1)));
      // then
      assertThat(f).isCompletedExceptionally();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void backoff_doublesWithJitterAndCaps(long seed) {
    // given
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(seed));
    // when / then
    long ceiling = 100;
    for (int i = 0; i < 12; i++) {
      long d = b.next().toMillis();
      assertThat(d).isBetween(ceiling / 2, ceiling);
      ceiling = Math.min(5000, ceiling * 2);
    }
    b.reset();
    assertThat(b.next().toMillis()).isBetween(50L, 100L);
  }

  @Test
  void topicFilter_wildcards() {
    assertThat(TopicFilter.matches("haulproof/v1/+/+/entries", "haulproof/v1/f/d/entries"))
        .isTrue();
    assertThat(TopicFilter.matches("haulproof/v1/+/+/entries", "haulproof/v1/f/d/checkpoints"))
        .isFalse();
    assertThat(TopicFilter.matches("a/#", "a")).isTrue();
    assertThat(TopicFilter.matches("a/+", "a/b/c")).isFalse();
    assertThat(TopicFilter.matches("#", "$SYS/x")).isFalse();
  }
}
