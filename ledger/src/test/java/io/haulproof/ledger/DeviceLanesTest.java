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
    try (DeviceLanes lanes = new DeviceLanes(4, 8)) {
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
    try (DeviceLanes lanes = new DeviceLanes(2, 8)) {
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
    try (DeviceLanes lanes = new DeviceLanes(1, 4)) {
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
  void submit_laneFull_blocksUntilRoom() throws Exception {
    // given: a lane of capacity 1 whose thread is busy and whose queue holds one task
    try (DeviceLanes lanes = new DeviceLanes(1, 1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      lanes.submit(
          "f/a",
          () -> {
            running.countDown();
            release.await(60, TimeUnit.SECONDS);
          });
      running.await(60, TimeUnit.SECONDS);
      lanes.submit("f/a", () -> {});
      // when
      CompletableFuture<Void> third = new CompletableFuture<>();
      Thread submitter =
          new Thread(
              () -> {
                try {
                  lanes.submit("f/a", () -> {}).thenRun(() -> third.complete(null));
                } catch (InterruptedException e) {
                  third.completeExceptionally(e);
                }
              });
      submitter.start();
      // then: the submitter waits on the full queue until the lane moves
      io.haulproof.uplink.testing.Await.until(
          () -> submitter.getState() == Thread.State.WAITING,
          java.time.Duration.ofSeconds(60),
          "submitter blocked");
      assertThat(third).isNotDone();
      release.countDown();
      third.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void submit_afterClose_stageFails() throws Exception {
    DeviceLanes lanes = new DeviceLanes(2, 4);
    lanes.close();
    assertThatThrownBy(() -> lanes.submit("f/a", () -> {}).toCompletableFuture().get())
        .hasRootCauseMessage("ledger lanes closed");
  }

  @Test
  void new_zeroLanes_refused() {
    assertThatThrownBy(() -> new DeviceLanes(0, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void submit_cancelledWhileQueued_skipped() throws Exception {
    try (DeviceLanes lanes = new DeviceLanes(1, 8)) {
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
}
