package io.haulproof.agent.fleetbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaceTest {
  private static final long S = 1_000_000_000L;

  @Test
  void produced_unpaced_everything() {
    assertThat(Pace.unpaced().produced(3, 10, 5, 42, 0)).isEqualTo(42);
  }

  @Test
  void produced_paced_wholeCheckpointsAtTheRate() {
    Pace p = new Pace(2, 0, Duration.ZERO, Duration.ZERO); // 2/s, checkpoint of 10 every 5 s
    assertThat(p.produced(0, 1, 10, 100, 0)).isZero();
    assertThat(p.produced(0, 1, 10, 100, 4 * S)).isZero();
    assertThat(p.produced(0, 1, 10, 100, 5 * S)).isEqualTo(10);
    assertThat(p.produced(0, 1, 10, 100, 49 * S)).isEqualTo(90);
    assertThat(p.produced(0, 1, 10, 100, 3_600 * S)).isEqualTo(100);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 99})
  void produced_manyTrucks_spreadOverOnePeriodAndNeverBackwards(long seed) {
    Pace p = new Pace(0.5, 0, Duration.ZERO, Duration.ZERO);
    Random rnd = new Random(seed);
    int trucks = 2 + rnd.nextInt(50);
    long[] last = new long[trucks];
    int[] firstChunkAt = new int[trucks];
    for (int tenth = 0; tenth <= 400; tenth++) {
      for (int i = 0; i < trucks; i++) {
        long n = p.produced(i, trucks, 10, 100, tenth * S / 10);
        assertThat(n).isGreaterThanOrEqualTo(last[i]).isLessThanOrEqualTo(100);
        if (last[i] == 0 && n > 0) {
          firstChunkAt[i] = tenth;
        }
        last[i] = n;
      }
    }
    // every truck's first checkpoint falls within the first period (20 s), not all at once
    for (int i = 0; i < trucks; i++) {
      assertThat(firstChunkAt[i]).isBetween(0, 200);
    }
    assertThat(firstChunkAt[0]).isGreaterThan(firstChunkAt[trucks - 1]);
  }

  @Test
  void offline_onlyTheFirstTrucksDuringTheWindow() {
    Pace p = new Pace(1, 2, Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertThat(p.offline(0, 9 * S)).isFalse();
    assertThat(p.offline(0, 10 * S)).isTrue();
    assertThat(p.offline(1, 14 * S)).isTrue();
    assertThat(p.offline(2, 12 * S)).isFalse();
    assertThat(p.offline(0, 15 * S)).isFalse();
  }

  @Test
  void new_negativeRate_refused() {
    assertThatThrownBy(() -> new Pace(-1, 0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
