package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The memory of bound leaves: held in index order, bounded, forgotten when it may be stale. */
class BoundLeavesTest {
  private final AtomicLong connections = new AtomicLong(8);

  private static Hash leaf(String device, long index) {
    return Hash.sha256((device + "/" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static BoundLeaves.Facts facts(String device, long from, long to) {
    BoundLeaves.Facts f = new BoundLeaves.Facts();
    for (long i = from; i < to; i++) {
      f.bound(i, leaf(device, i));
    }
    return f;
  }

  private static List<BoundLeaves.Leaf> leaves(String device, long... indexes) {
    List<BoundLeaves.Leaf> out = new ArrayList<>();
    for (long i : indexes) {
      out.add(new BoundLeaves.Leaf(i, leaf(device, i)));
    }
    return out;
  }

  @Test
  void allBound_leavesAppliedAfterCommit_heldOnlyAtTheirIndex() {
    // given
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    // when
    b.apply("f/d", facts("f/d", 0, 5), connections.get());
    // then
    assertThat(b.allBound("f/d", leaves("f/d", 0, 4, 2))).isTrue();
    assertThat(b.allBound("f/d", leaves("f/d", 5))).isFalse();
    assertThat(b.allBound("f/d", List.of(new BoundLeaves.Leaf(1, leaf("f/d", 2))))).isFalse();
    assertThat(b.allBound("f/other", leaves("f/other", 0))).isFalse();
    assertThat(b.allBound("f/d", List.of())).isFalse();
  }

  @Test
  void apply_gapInIndexes_windowStartsAfterTheGap() {
    // given 0..4 held, then 6..7 bound (5 a lost placeholder, never held)
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    b.apply("f/d", facts("f/d", 0, 5), connections.get());
    // when
    b.apply("f/d", facts("f/d", 6, 8), connections.get());
    // then
    assertThat(b.allBound("f/d", leaves("f/d", 6, 7))).isTrue();
    assertThat(b.allBound("f/d", leaves("f/d", 5))).isFalse();
    assertThat(b.allBound("f/d", leaves("f/d", 4))).isFalse();
  }

  @Test
  void apply_otherLeafAtHeldIndex_deviceForgotten() {
    // given
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    b.apply("f/d", facts("f/d", 0, 3), connections.get());
    BoundLeaves.Facts other = new BoundLeaves.Facts();
    other.bound(1, leaf("f/x", 1));
    // when
    b.apply("f/d", other, connections.get());
    // then
    assertThat(b.allBound("f/d", leaves("f/d", 0))).isFalse();
    assertThat(b.size()).isZero();
  }

  @Test
  void apply_deviceRevoked_deviceForgotten() {
    // given
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    b.apply("f/d", facts("f/d", 0, 3), connections.get());
    b.apply("f/e", facts("f/e", 0, 3), connections.get());
    BoundLeaves.Facts revoked = new BoundLeaves.Facts();
    revoked.revoked();
    // when
    b.apply("f/d", revoked, connections.get());
    // then
    assertThat(b.allBound("f/d", leaves("f/d", 0))).isFalse();
    assertThat(b.allBound("f/e", leaves("f/e", 0))).isTrue();
  }

  @Test
  void allBound_afterNewDatabaseConnection_everythingForgotten() {
    // given
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    b.apply("f/d", facts("f/d", 0, 3), connections.get());
    // when the database was reached again (it may have restarted and lost unflushed commits)
    connections.incrementAndGet();
    // then
    assertThat(b.allBound("f/d", leaves("f/d", 0))).isFalse();
    assertThat(b.capacity()).isZero();
  }

  @Test
  void apply_transactionBeganBeforeNewConnection_dropped() {
    // given a transaction that began before the database was reached again
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    long before = connections.get();
    connections.incrementAndGet();
    // when it commits
    b.apply("f/d", facts("f/d", 0, 3), before);
    // then
    assertThat(b.allBound("f/d", leaves("f/d", 0))).isFalse();
  }

  @Test
  void apply_moreThanPerDevice_latestHeldWithinBound() {
    // given
    BoundLeaves b = new BoundLeaves(1_000, 100, connections::get);
    // when
    b.apply("f/d", facts("f/d", 0, 250), connections.get());
    // then
    assertThat(b.size()).isBetween(50L, 100L);
    assertThat(b.capacity()).isLessThanOrEqualTo(100);
    assertThat(b.allBound("f/d", leaves("f/d", 249, 200))).isTrue();
    assertThat(b.allBound("f/d", leaves("f/d", 0))).isFalse();
  }

  @Test
  void apply_moreDevicesThanMax_leastRecentlyUsedGoWithinMax() {
    // given room for 640 leaves, 64 per device
    BoundLeaves b = new BoundLeaves(640, 64, connections::get);
    // when 100 devices bind 64 each, device 0 asked about all along
    b.apply("f/0", facts("f/0", 0, 64), connections.get());
    for (int d = 1; d < 100; d++) {
      b.apply("f/" + d, facts("f/" + d, 0, 64), connections.get());
      assertThat(b.allBound("f/0", leaves("f/0", 63))).isTrue();
    }
    // then
    assertThat(b.capacity()).isLessThanOrEqualTo(640);
    assertThat(b.size()).isLessThanOrEqualTo(640);
    assertThat(b.allBound("f/99", leaves("f/99", 0, 63))).isTrue();
    assertThat(b.allBound("f/1", leaves("f/1", 63))).isFalse();
  }

  /**
   * Seeded random runs of bound leaves with gaps, several devices and small bounds, against a naive
   * map of everything bound: a hit is always a leaf bound at that index.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void allBound_randomRuns_neverAHitForALeafNotBoundThere(long seed) {
    // given
    Random rnd = new Random(seed);
    BoundLeaves b = new BoundLeaves(200, 40, connections::get);
    Map<String, Map<Long, Hash>> truth = new HashMap<>();
    Map<String, Long> next = new HashMap<>();
    int hits = 0;
    for (int step = 0; step < 2_000; step++) {
      String dev = "f/" + rnd.nextInt(12);
      long from = next.getOrDefault(dev, 0L) + (rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(3) : 0);
      long to = from + 1 + rnd.nextInt(30);
      BoundLeaves.Facts f = new BoundLeaves.Facts();
      for (long i = from; i < to; i++) {
        f.bound(i, leaf(dev, i));
        truth.computeIfAbsent(dev, k -> new HashMap<>()).put(i, leaf(dev, i));
      }
      if (rnd.nextInt(4) == 0 && from > 0) {
        long old = rnd.nextInt((int) from); // a resend read below the bound prefix
        if (truth.get(dev).containsKey(old)) {
          f.bound(old, truth.get(dev).get(old));
        }
      }
      b.apply(dev, f, connections.get());
      next.put(dev, to);
      // when asked about true leaves and leaves of other devices or indexes
      String q = "f/" + rnd.nextInt(12);
      long idx = rnd.nextInt((int) Math.max(1, next.getOrDefault(q, 1L) + 2));
      Hash asked = rnd.nextBoolean() ? leaf(q, idx) : leaf(q, idx + 1);
      boolean hit = b.allBound(q, List.of(new BoundLeaves.Leaf(idx, asked)));
      // then
      Hash real = truth.getOrDefault(q, Map.of()).get(idx);
      if (hit) {
        hits++;
        assertThat(asked).isEqualTo(real);
      }
      assertThat(b.capacity()).isLessThanOrEqualTo(200);
    }
    assertThat(hits).isPositive();
  }
}
