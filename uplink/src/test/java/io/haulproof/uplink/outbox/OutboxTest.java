package io.haulproof.uplink.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.testing.SignedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The outbox with an in-memory transport that acknowledges late, out of order, or fails. */
class OutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path tmp;
  private final ScheduledExecutorService net = Executors.newScheduledThreadPool(2);
  private final List<Outbox> outboxes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    outboxes.forEach(Outbox::close);
    net.shutdownNow();
  }

  /**
   * A transport whose "far side" keeps what it acknowledged, fails sends at a seeded rate, acks
   * after a delay.
   */
  private final class FlakyTransport implements EntrySender {
    final List<Long> received = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<String> sentKinds = new ConcurrentLinkedQueue<>();
    final Random random;
    final double failRate;
    volatile int outstanding;
    volatile int maxOutstanding;

    FlakyTransport(long seed, double failRate) {
      this.random = new Random(seed);
      this.failRate = failRate;
    }

    @Override
    public synchronized CompletableFuture<Void> send(OutboundEntry e) {
      outstanding++;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      sentKinds.add(e.kind() + "/" + e.seq());
      CompletableFuture<Void> f = new CompletableFuture<>();
      boolean fail = random.nextDouble() < failRate;
      boolean deliveredBeforeFailure = fail && random.nextBoolean();
      net.schedule(
          () -> {
            synchronized (this) {
              outstanding--;
            }
            if (!fail || deliveredBeforeFailure) {
              received.add(e.index());
            }
            if (fail) {
              f.completeExceptionally(new java.io.IOException("link dropped"));
            } else {
              f.complete(null);
            }
          },
          random.nextInt(3),
          TimeUnit.MILLISECONDS);
      return f;
    }
  }

  private Outbox outbox(SignedLog log, EntrySender sender, Outbox.Settings s) {
    Outbox o = new Outbox(log, sender, new CursorFile(tmp.resolve("cursor")), s);
    outboxes.add(o);
    return o;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void flakyLink_everyEntryDeliveredAndCursorReachesEnd(long seed) {
    // given
    SignedLog log = new SignedLog("truck-1", seed);
    log.append(300);
    FlakyTransport t = new FlakyTransport(seed, 0.05);
    Outbox o =
        outbox(
            log, t, Outbox.Settings.defaults().withWindow(8).withRetryDelay(Duration.ofMillis(10)));
    // when
    o.start();
    log.append(200);
    Await.until(() -> o.cursor() == 500, WAIT, () -> "cursor " + o.cursor());
    // then
    assertThat(Collections.max(t.received)).isEqualTo(499);
    assertThat(t.received.stream().distinct().count()).isEqualTo(500);
    assertThat(t.maxOutstanding).isLessThanOrEqualTo(8);
    assertThat(o.maxInFlightSeen()).isLessThanOrEqualTo(8);
    assertThat(t.sentKinds).allMatch(k -> k.startsWith("collection/"));
  }

  @Test
  void restart_resumesFromPersistedCursor_notFromZero() throws Exception {
    // given an outbox that delivered 100 entries, then closed
    SignedLog log = new SignedLog("truck-1", 4);
    log.append(100);
    FlakyTransport first = new FlakyTransport(4, 0);
    Outbox o1 = outbox(log, first, Outbox.Settings.defaults());
    o1.start();
    Await.until(() -> o1.cursor() == 100, WAIT, () -> "cursor " + o1.cursor());
    o1.close();
    outboxes.remove(o1);
    log.append(20);
    // when
    FlakyTransport second = new FlakyTransport(5, 0);
    Outbox o2 = outbox(log, second, Outbox.Settings.defaults());
    o2.start();
    Await.until(() -> o2.cursor() == 120, WAIT, () -> "cursor " + o2.cursor());
    // then
    assertThat(second.received).hasSize(20).allMatch(i -> i >= 100);
  }

  @Test
  void damagedCursorFile_restartsFromZero() throws Exception {
    // given
    Path f = tmp.resolve("cursor");
    new CursorFile(f).write(77);
    byte[] b = Files.readAllBytes(f);
    b[3] ^= 0x10;
    Files.write(f, b);
    // when
    long read = new CursorFile(f).read();
    // then
    assertThat(read).isZero();
    assertThat(new CursorFile(tmp.resolve("absent")).read()).isZero();
  }

  @Test
  void urgent_queuedBehindBacklog_sentBeforeRemainingBacklog() {
    // given a slow link and a large backlog
    SignedLog log = new SignedLog("truck-1", 6);
    log.append(200);
    List<String> order = new CopyOnWriteArrayList<>();
    EntrySender slow =
        e -> {
          order.add("entry-" + e.index());
          CompletableFuture<Void> f = new CompletableFuture<>();
          net.schedule(() -> f.complete(null), 2, TimeUnit.MILLISECONDS);
          return f;
        };
    Outbox o = outbox(log, slow, Outbox.Settings.defaults().withWindow(2));
    o.start();
    Await.until(() -> order.size() >= 10, WAIT, order::toString);
    // when
    CompletableFuture<Void> status =
        o.sendUrgent(
            "status",
            100,
            () -> {
              order.add("status");
              return CompletableFuture.completedFuture(null);
            });
    // then
    Await.until(() -> o.cursor() == 200, WAIT, () -> "cursor " + o.cursor());
    assertThat(status).isCompleted();
    int at = order.indexOf("status");
    assertThat(at).isGreaterThan(0).isLessThan(order.size() - 100);
  }

  @Test
  void rewind_resendsFromGivenIndex() {
    // given
    SignedLog log = new SignedLog("truck-1", 7);
    log.append(50);
    FlakyTransport t = new FlakyTransport(7, 0);
    Outbox o = outbox(log, t, Outbox.Settings.defaults());
    o.start();
    Await.until(() -> o.cursor() == 50, WAIT, () -> "cursor " + o.cursor());
    // when
    o.rewindTo(30);
    // then
    Await.until(
        () -> t.received.size() == 70 && o.cursor() == 50,
        WAIT,
        () -> t.received.size() + " received");
    assertThat(t.received.subList(50, 70))
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.LongStream.range(30, 50).boxed().toList());
  }

  @Test
  void bandwidthLimit_stillDeliversEverything() {
    // given 40 entries of ~300 bytes at 20 kB/s
    SignedLog log = new SignedLog("truck-1", 8);
    log.append(40);
    FlakyTransport t = new FlakyTransport(8, 0);
    Outbox o = outbox(log, t, Outbox.Settings.defaults().withBandwidth(20_000));
    // when
    o.start();
    // then
    Await.until(() -> o.cursor() == 40, WAIT, () -> "cursor " + o.cursor());
    assertThat(t.received).hasSize(40);
    assertThat(o.bytesSent()).isEqualTo(log.entries().stream().mapToLong(Bytes::length).sum());
  }
}
