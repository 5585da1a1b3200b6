package io.haulproof.lightchain.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockBuilderTest {
  private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
  private final List<long[]> sealed = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    exec.shutdownNow();
    exec.awaitTermination(10, TimeUnit.SECONDS);
  }

  private BlockBuilder builder(long first, int n, long ms) {
    return new BlockBuilder(first, n, ms, exec, (f, c) -> sealed.add(new long[] {f, c}));
  }

  @Test
  void committed_reachingMaxEntries_cutsFullBlocksWithoutTimer() throws Exception {
    // given a timer that would never fire within the test
    BlockBuilder b = builder(0, 4, 3_600_000);
    // when
    b.committed(3);
    b.committed(10);
    exec.submit(() -> {}).get(60, TimeUnit.SECONDS);
    // then
    assertThat(sealed).extracting(a -> a[0] + "+" + a[1]).containsExactly("0+4", "4+4");
  }

  @Test
  void committed_fewerThanMax_cutsPartialBlockWhenTimerFires() {
    // given
    BlockBuilder b = builder(7, 100, 20);
    // when
    b.committed(10);
    // then
    Await.until(() -> !sealed.isEmpty(), Duration.ofSeconds(60), "a sealed block");
    assertThat(sealed).extracting(a -> a[0] + "+" + a[1]).containsExactly("7+3");
  }

  @Test
  void flush_nothingPending_cutsNoEmptyBlock() throws Exception {
    // given
    BlockBuilder b = builder(5, 10, 3_600_000);
    // when
    b.flush().get(60, TimeUnit.SECONDS);
    b.flush(5).get(60, TimeUnit.SECONDS);
    b.committed(3); // a stale, smaller size
    b.flush().get(60, TimeUnit.SECONDS);
    // then
    assertThat(sealed).isEmpty();
  }

  @Test
  void flush_pendingEntries_cutsThemInBlocksOfAtMostMax() throws Exception {
    // given
    BlockBuilder b = builder(0, 4, 3_600_000);
    // when
    b.flush(11).get(60, TimeUnit.SECONDS);
    // then
    assertThat(sealed).extracting(a -> a[0] + "+" + a[1]).containsExactly("0+4", "4+4", "8+3");
  }

  @Test
  void flush_afterSealerFailure_failsAndCutsNothingMore() throws Exception {
    // given
    BlockBuilder b =
        new BlockBuilder(
            0,
            2,
            3_600_000,
            exec,
            (f, c) -> {
              if (f == 2) {
                throw new IllegalStateException("disk full");
              }
              sealed.add(new long[] {f, c});
            });
    // when
    b.committed(6);
    // then
    assertThatThrownBy(() -> b.flush().get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("disk full");
    assertThat(sealed).extracting(a -> a[0] + "+" + a[1]).containsExactly("0+2");
  }
}
