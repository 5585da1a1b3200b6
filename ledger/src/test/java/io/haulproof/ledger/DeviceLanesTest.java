package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  @ParameterizedTest
  @ValueSource(longs = {5, 6, 7, 99, 2026})
  void submitBatch_devicesInterleavedWithPlainWork_eachDeviceInArrivalOrderBatchesOfOneDevice(
      long seed) throws Exception {
    // given: two batch kinds and plain work for 12 devices, randomly interleaved on 3 lanes
    Random rnd = new Random(seed);
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    List<String> mixed = new CopyOnWriteArrayList<>();
    DeviceLanes.BatchWork<Item> kindA = items -> record(items, seen, mixed);
    DeviceLanes.BatchWork<Item> kindB = items -> record(items, seen, mixed);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    int[] next = new int[12];
    try (DeviceLanes lanes = new DeviceLanes(3)) {
      CountDownLatch release = holdLane(lanes, "fleet/truck-0"); // queues build up behind it
      // when
      for (int i = 0; i < 3_000; i++) {
        int d = rnd.nextInt(next.length);
        int n = next[d]++;
        String key = "fleet/truck-" + d;
        int kind = rnd.nextInt(10);
        CompletableFuture<Void> f =
            (kind == 0
                    ? lanes.submit(key, () -> record(List.of(new Item(key, n)), seen, mixed))
                    : lanes.submitBatch(key, new Item(key, n), kind < 6 ? kindA : kindB))
                .toCompletableFuture();
        all.add(f);
      }
      release.countDown();
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    // then: every device's work ran once each, in arrival order, and no call mixed devices
    for (int d = 0; d < next.length; d++) {
      assertThat(seen.getOrDefault("fleet/truck-" + d, List.of())).hasSize(next[d]).isSorted();
    }
    assertThat(mixed).isEmpty();
  }

  private record Item(String key, int n) {}

  /** Notes each item's number under its device, and any call that mixed devices. */
  private static void record(
      List<Item> items, Map<String, List<Integer>> seen, List<String> mixed) {
    for (Item t : items) {
      if (!t.key().equals(items.get(0).key())) {
        mixed.add(items.toString());
      }
      seen.computeIfAbsent(t.key(), k -> new CopyOnWriteArrayList<>()).add(t.n());
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
  void submitBatch_otherDevicesInBetween_joinUpToTheDevicesOtherWorkInOrder() throws Exception {
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
      // then: a's items join across b's, not across a's plain work; each device's order is kept
      assertThat(calls).containsExactly(List.of(0, 1, 2, 3), List.of(100), List.of(-1), List.of(4));
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
  void submitBatch_sameDeviceFartherThanMaxScan_notJoined() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      CountDownLatch release = holdLane(lanes, "f/a");
      List<List<Integer>> calls = new CopyOnWriteArrayList<>();
      DeviceLanes.BatchWork<Integer> batch = items -> calls.add(List.copyOf(items));
      List<CompletableFuture<Void>> done = new ArrayList<>();
      done.add(lanes.submitBatch("f/a", 1, batch).toCompletableFuture());
      for (int i = 0; i < DeviceLanes.MAX_SCAN; i++) {
        done.add(lanes.submit("f/other-" + i, () -> {}).toCompletableFuture());
      }
      done.add(lanes.submitBatch("f/a", 2, batch).toCompletableFuture());
      release.countDown();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(calls).containsExactly(List.of(1), List.of(2));
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

  @Test
  void cancel_thousandsQueuedBehindBusyLane_leaveTheQueueAtOnce() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1)) {
      // given: a busy lane and a session's worth of work waiting behind it
      CountDownLatch release = holdLane(lanes, "f/a");
      List<CompletableFuture<Void>> waiting = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        waiting.add(lanes.submit("f/a", () -> {}).toCompletableFuture());
      }
      assertThat(lanes.queued()).isEqualTo(5_000);
      // when: the session goes and its stages are cancelled, the lane still busy
      waiting.forEach(f -> f.cancel(false));
      // then: nothing of it waits for the lane to reach it
      assertThat(lanes.queued()).isZero();
      CompletableFuture<Void> next = lanes.submit("f/a", () -> {}).toCompletableFuture();
      assertThat(lanes.queued()).isEqualTo(1);
      release.countDown();
      next.get(60, TimeUnit.SECONDS);
      assertThat(lanes.queued()).isZero();
    }
  }

  @Test
  void submit_boundReached_failsAtOnceCountedAndTakesWorkAgainOnceBelow() throws Exception {
    AtomicInteger shed = new AtomicInteger();
    try (DeviceLanes lanes = new DeviceLanes(2, 10, shed::incrementAndGet)) {
      // given: both lanes busy and the bound's worth of work waiting on them
      String other = "f/b";
      for (int i = 0; lanes.laneOf(other) == lanes.laneOf("f/a"); i++) {
        other = "f/b" + i;
      }
      CountDownLatch releaseA = holdLane(lanes, "f/a");
      CountDownLatch releaseB = holdLane(lanes, other);
      List<Integer> ran = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Void>> waiting = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int n = i;
        waiting.add(
            lanes.submit(i % 2 == 0 ? "f/a" : other, () -> ran.add(n)).toCompletableFuture());
      }
      // when: one more comes, on either lane
      CompletableFuture<Void> over = lanes.submit("f/a", () -> ran.add(-1)).toCompletableFuture();
      CompletableFuture<Void> over2 = lanes.submit(other, () -> ran.add(-2)).toCompletableFuture();
      // then: it is refused at once (never blocking the caller), counted, and nothing waits for it
      assertThat(over).isCompletedExceptionally();
      assertThat(over2).isCompletedExceptionally();
      assertThatThrownBy(over::join)
          .hasCauseInstanceOf(DeviceLanes.FullException.class)
          .hasMessageContaining("10 messages wait")
          .hasMessageContaining(DeviceLanes.BOUND_PROPERTY)
          .hasMessageContaining("max_inflight_messages");
      assertThat(shed).hasValue(2);
      assertThat(lanes.queued()).isEqualTo(10);
      // and: once a waiting task leaves (its session gone), work is taken again
      waiting.get(0).cancel(false);
      CompletableFuture<Void> again = lanes.submit("f/a", () -> ran.add(10)).toCompletableFuture();
      assertThat(again).isNotDone();
      releaseA.countDown();
      releaseB.countDown();
      again.get(60, TimeUnit.SECONDS);
      CompletableFuture.allOf(waiting.subList(1, 10).toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
      assertThat(ran).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      assertThat(shed).hasValue(2);
    }
  }

  @Test
  void new_boundBelowOne_refused() {
    assertThatThrownBy(() -> new DeviceLanes(1, 0, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 4711})
  void cancel_randomTasksWhileQueued_restRunOncePerDeviceInArrivalOrder(long seed)
      throws Exception {
    // given: every lane busy, so that all that follows waits
    Random rnd = new Random(seed);
    int laneCount = 3;
    try (DeviceLanes lanes = new DeviceLanes(laneCount)) {
      List<CountDownLatch> releases = new ArrayList<>();
      Set<Integer> held = new java.util.HashSet<>();
      for (int i = 0; held.size() < laneCount; i++) {
        String key = "hold/" + i;
        if (held.add(lanes.laneOf(key))) {
          releases.add(holdLane(lanes, key));
        }
      }
      Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
      Map<Integer, CompletableFuture<Void>> live = new java.util.LinkedHashMap<>();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      int[] next = new int[12];
      DeviceLanes.BatchWork<int[]> batch =
          items -> {
            for (int[] it : items) {
              seen.computeIfAbsent("fleet/truck-" + it[0], k -> new CopyOnWriteArrayList<>())
                  .add(it[1]);
            }
          };
      // when: submits (plain and batchable) interleaved with cancels anywhere in the queues
      for (int i = 0; i < 3_000; i++) {
        if (!live.isEmpty() && rnd.nextInt(3) == 0) {
          List<Integer> ids = new ArrayList<>(live.keySet());
          int id = ids.get(rnd.nextInt(ids.size()));
          assertThat(live.remove(id).cancel(false)).isTrue();
          continue;
        }
        int d = rnd.nextInt(next.length);
        int n = next[d]++;
        String key = "fleet/truck-" + d;
        CompletableFuture<Void> f =
            (rnd.nextBoolean()
                    ? lanes.submitBatch(key, new int[] {d, n}, batch)
                    : lanes.submit(
                        key,
                        () -> seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(n)))
                .toCompletableFuture();
        live.put(d * 100_000 + n, f);
        all.add(f);
      }
      assertThat(lanes.queued()).isEqualTo(live.size());
      releases.forEach(CountDownLatch::countDown);
      CompletableFuture.allOf(live.values().toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
      // then: exactly the live tasks ran, once each, each device's in arrival order
      for (int d = 0; d < next.length; d++) {
        List<Integer> want = new ArrayList<>();
        for (int n = 0; n < next[d]; n++) {
          if (live.containsKey(d * 100_000 + n)) {
            want.add(n);
          }
        }
        assertThat(seen.getOrDefault("fleet/truck-" + d, List.of()))
            .as("truck-%d", d)
            .containsExactlyElementsOf(want);
      }
      assertThat(lanes.queued()).isZero();
      assertThat(all).allMatch(CompletableFuture::isDone);
    }
  }
}
