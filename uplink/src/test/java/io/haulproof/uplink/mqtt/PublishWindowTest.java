package io.haulproof.uplink.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishWindowTest {
  /** Sends that complete only when the test says so; records the order they were started in. */
  private static final class Sends {
    final List<Integer> started = new ArrayList<>();
    final List<CompletableFuture<Void>> open = new ArrayList<>();
    int maxOpen;

    CompletableFuture<Void> submit(PublishWindow w, int id) {
      return w.submit(
          () -> {
            started.add(id);
            CompletableFuture<Void> f = new CompletableFuture<>();
            open.add(f);
            maxOpen = Math.max(maxOpen, (int) open.stream().filter(x -> !x.isDone()).count());
            return f;
          });
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void submit_randomCompletionOrder_neverBeyondLimitAndStartsInOrder(long seed) {
    Random rnd = new Random(seed);
    int limit = 1 + rnd.nextInt(8);
    PublishWindow w = new PublishWindow(limit);
    Sends s = new Sends();
    List<CompletableFuture<Void>> results = new ArrayList<>();
    int n = 200;
    for (int i = 0; i < n; i++) {
      results.add(s.submit(w, i));
      if (rnd.nextInt(3) == 0) {
        completeRandom(s, rnd);
      }
    }
    while (results.stream().anyMatch(r -> !r.isDone())) {
      completeRandom(s, rnd);
    }
    assertThat(s.maxOpen).isLessThanOrEqualTo(limit);
    assertThat(s.started).hasSize(n).isSorted();
    assertThat(w.pending()).isZero();
  }

  private static void completeRandom(Sends s, Random rnd) {
    List<CompletableFuture<Void>> open = s.open.stream().filter(f -> !f.isDone()).toList();
    if (!open.isEmpty()) {
      open.get(rnd.nextInt(open.size())).complete(null);
    }
  }

  @Test
  void submit_sendFails_callerSeesFailureAndNextStarts() {
    PublishWindow w = new PublishWindow(1);
    Sends s = new Sends();
    CompletableFuture<Void> first = s.submit(w, 0);
    CompletableFuture<Void> second = s.submit(w, 1);
    assertThat(s.started).containsExactly(0);
    s.open.get(0).completeExceptionally(new IOException("refused"));
    assertThatThrownBy(first::get)
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("refused");
    assertThat(s.started).containsExactly(0, 1);
    s.open.get(1).complete(null);
    assertThat(second).isCompleted();
  }

  @Test
  void submit_sendThrows_callerSeesFailureAndSlotFreed() {
    PublishWindow w = new PublishWindow(1);
    CompletableFuture<Void> r =
        w.submit(
            () -> {
              throw new IllegalStateException("not connected");
            });
    assertThat(r).isCompletedExceptionally();
    assertThat(w.pending()).isZero();
  }

  @Test
  void close_waitingAndLaterPublishes_failWithCause() {
    PublishWindow w = new PublishWindow(1);
    Sends s = new Sends();
    CompletableFuture<Void> inFlight = s.submit(w, 0);
    CompletableFuture<Void> waiting = s.submit(w, 1);
    IOException gone = new IOException("session gone");
    w.close(gone);
    assertThatThrownBy(waiting::get).hasCause(gone);
    assertThatThrownBy(() -> s.submit(w, 2).get()).hasCause(gone);
    assertThat(s.started).containsExactly(0); // nothing starts on a closed session
    s.open.get(0).completeExceptionally(gone); // Paho fails what was in flight
    assertThat(inFlight).isCompletedExceptionally();
    assertThat(s.started).containsExactly(0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void new_limitOutOfRange_refused(int limit) {
    assertThatThrownBy(() -> new PublishWindow(limit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..65535");
  }
}
