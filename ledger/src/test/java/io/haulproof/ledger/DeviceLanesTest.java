package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceLanesTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 4711})
  void submit_manyDevicesInterleaved_eachDeviceInArrivalOrder(long seed) throws Exception {
    // given
    Random rnd = new Random(seed);
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    int[] next = new int[20];
    try (DeviceLanes lanes = new DeviceLanes(4)) {
      // when
      for (int i = 0; i < 2_000; i++) {
        int d = rnd.nextInt(next.length);
        int n = next[d]++;
        String key = "fleet/truck-" + d;
        all.add(
            lanes
                .submit(
                    key, () -> seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(n))
                .toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    // then
    for (int d = 0; d < next.length; d++) {
      List<Integer> got = seen.getOrDefault("fleet/truck-" + d, List.of());
      assertThat(got).hasSize(next[d]).isSorted();
    }
  }

  @Test
  void submit_oneDeviceBusy_otherDevicesOnOtherLanesRun() throws Exception {
    // given: two keys that land on different lanes
    try (DeviceLanes lanes = new DeviceLanes(2)) {
      String slow = "f/a";
      String other = "f/b";
      for (int i = 0; lanes.laneOf(other) == lanes.laneOf(slow); i++) {
        other = "f/b" + i;
      }
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> blocked =
          lanes.submit(slow, () -> release.await(60, TimeUnit.SECONDS)).toCompletableFuture();
      // when
      CompletableFuture<Void> free = lanes.submit(other, () -> {}).toCompletableFuture();
      // then
      free.get(60, TimeUnit.SECONDS);
      assertThat(blocked).isNotDone();
      release.countDown();
      blocked.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void submit_workThrows_stageFailsWithItAndLaneGoesOn() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      // when
      CompletableFuture<Void> bad =
          lanes
              .submit(
                  "f/a",
                  () -> {
                    throw new IOException("database down");
                  })
              .toCompletableFuture();
      CompletableFuture<Void> good = lanes.submit("f/a", () -> {}).toCompletableFuture();
      // then
      assertThatThrownBy(() -> bad.get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("database down");
      good.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void submit_laneBusyWithManyQueued_returnsAtOnceAndRunsAllInOrder() throws Exception {
    // given: a lane whose thread is busy
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      lanes.submit(
          "f/a",
          () -> {
            running.countDown();
            release.await(60, TimeUnit.SECONDS);
          });
      running.await(60, TimeUnit.SECONDS);
      // when: far more is submitted than the old bound of 1,024 per lane (the caller is the MQTT
      // client's thread, which must never wait)
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        int n = i;
        done.add(lanes.submit("f/a", () -> order.add(n)).toCompletableFuture());
      }
      // then: every submit returned while the lane was still busy; all run, in order, once it moves
      assertThat(done).noneMatch(CompletableFuture::isDone);
      release.countDown();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(order).hasSize(5_000).isSorted();
    }
  }

  @Test
  void submit_afterClose_stageFails() throws Exception {
    DeviceLanes lanes = new DeviceLanes(2);
    lanes.close();
    assertThatThrownBy(() -> lanes.submit("f/a", () -> {}).toCompletableFuture().get())
        .hasRootCauseMessage("ledger lanes closed");
  }

  @Test
  void new_zeroLanes_refused() {
    assertThatThrownBy(() -> new DeviceLanes(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void submit_cancelledWhileQueued_skipped() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      // given: the lane is busy, a second task waits behind it
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      CompletableFuture<Void> busy =
          lanes
              .submit(
                  "f/a",
                  () -> {
                    running.countDown();
                    release.await(60, TimeUnit.SECONDS);
                  })
              .toCompletableFuture();
      running.await(60, TimeUnit.SECONDS);
      List<String> ran = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> queued =
          lanes.submit("f/a", () -> ran.add("queued")).toCompletableFuture();
      CompletableFuture<Void> after =
          lanes.submit("f/a", () -> ran.add("after")).toCompletableFuture();
      // when: its session goes away
      queued.cancel(false);
      release.countDown();
      // then
      after.get(60, TimeUnit.SECONDS);
      busy.get(60, TimeUnit.SECONDS);
      assertThat(ran).containsExactly("after");
    }
  }

  /** A lane held busy until {@link #release}, so that what is submitted next waits in order. */
  private static CountDownLatch holdLane(DeviceLanes lanes, String key) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    lanes.submit(
        key,
        () -> {
          running.countDown();
          release.await(60, TimeUnit.SECONDS);
        });
    running.await(60, TimeUnit.SECONDS);
    return release;
  }

  @Test
  void submitBatch_queuedBackToBack_runAsOneCallInOrder() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      CountDownLatch release = holdLane(lanes, "f/a");
      List<List<Integer>> calls = new CopyOnWriteArrayList<>();
      DeviceLanes.BatchWork<Integer> batch = items -> calls.add(List.copyOf(items));
      List<CompletableFuture<Void>> done = new ArrayList<>();
      // given: a's items, then one of b, then a's again, then plain work for a, then a's again
      for (int i = 0; i < 3; i++) {
        done.add(lanes.submitBatch("f/a", i, batch).toCompletableFuture());
      }
      done.add(lanes.submitBatch("f/b", 100, batch).toCompletableFuture());
      done.add(lanes.submitBatch("f/a", 3, batch).toCompletableFuture());
      done.add(lanes.submit("f/a", () -> calls.add(List.of(-1))).toCompletableFuture());
      done.add(lanes.submitBatch("f/a", 4, batch).toCompletableFuture());
      // when
      release.countDown();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      // then: only back-to-back items of one device join; order is kept
      assertThat(calls)
          .containsExactly(List.of(0, 1, 2), List.of(100), List.of(3), List.of(-1), List.of(4));
    }
  }

  @Test
  void submitBatch_moreThanMax_splitIntoCallsOfMax() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      CountDownLatch release = holdLane(lanes, "f/a");
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      List<Integer> seen = new CopyOnWriteArrayList<>();
      DeviceLanes.BatchWork<Integer> batch =
          items -> {
            sizes.add(items.size());
            seen.addAll(items);
          };
      List<CompletableFuture<Void>> done = new ArrayList<>();
      int n = DeviceLanes.MAX_BATCH * 2 + 5;
      for (int i = 0; i < n; i++) {
        done.add(lanes.submitBatch("f/a", i, batch).toCompletableFuture());
      }
      release.countDown();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(sizes).containsExactly(DeviceLanes.MAX_BATCH, DeviceLanes.MAX_BATCH, 5);
      assertThat(seen).hasSize(n).isSorted();
    }
  }

  @Test
  void submitBatch_callThrows_everyItemsStageFailsAndLaneGoesOn() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      CountDownLatch release = holdLane(lanes, "f/a");
      DeviceLanes.BatchWork<Integer> batch =
          items -> {
            throw new IOException("database gone, " + items.size() + " items");
          };
      CompletableFuture<Void> a = lanes.submitBatch("f/a", 1, batch).toCompletableFuture();
      CompletableFuture<Void> b = lanes.submitBatch("f/a", 2, batch).toCompletableFuture();
      CompletableFuture<Void> after = lanes.submit("f/a", () -> {}).toCompletableFuture();
      release.countDown();
      after.get(60, TimeUnit.SECONDS);
      assertThatThrownBy(a::get).hasRootCauseMessage("database gone, 2 items");
      assertThatThrownBy(b::get).hasRootCauseMessage("database gone, 2 items");
    }
  }

  @Test
  void submitBatch_itemCancelledWhileQueued_leftOutOfTheCall() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      CountDownLatch release = holdLane(lanes, "f/a");
      List<List<Integer>> calls = new CopyOnWriteArrayList<>();
      DeviceLanes.BatchWork<Integer> batch = items -> calls.add(List.copyOf(items));
      CompletableFuture<Void> a = lanes.submitBatch("f/a", 1, batch).toCompletableFuture();
      CompletableFuture<Void> b = lanes.submitBatch("f/a", 2, batch).toCompletableFuture();
      CompletableFuture<Void> c = lanes.submitBatch("f/a", 3, batch).toCompletableFuture();
      b.cancel(false); // its MQTT session went; the broker redelivers it
      release.countDown();
      CompletableFuture.allOf(a, c).get(60, TimeUnit.SECONDS);
      assertThat(calls).containsExactly(List.of(1, 3));
    }
  }
}
