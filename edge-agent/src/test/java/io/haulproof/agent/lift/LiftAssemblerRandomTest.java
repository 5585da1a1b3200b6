package io.haulproof.agent.lift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.entry.FixMode;
import io.haulproof.lightchain.entry.TimeSource;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random input sequences: every tag read and every lift cycle ends up in exactly one event.
 */
class LiftAssemblerRandomTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
  void assembler_randomSequence_accountsForEveryTagAndLiftExactlyOnce(long seed) {
    // given
    Random rnd = new Random(seed);
    ManualClock clock = new ManualClock(Instant.parse("2026-11-17T07:30:00Z"));
    List<CollectionEvent> events = new ArrayList<>();
    List<RegisteredBin> bins = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bins.add(
          new RegisteredBin(
              "bin-" + i,
              "residual",
              240,
              i % 5 == 0 ? EnumSet.of(DayOfWeek.SUNDAY) : EnumSet.allOf(DayOfWeek.class)));
    }
    AssemblerSettings s =
        new AssemblerSettings(
            "truck",
            null,
            null,
            new Instrument("a", "s", "1", "2026-01-01"),
            20_000,
            30_000,
            3_000,
            2_000,
            5_000,
            TimeSource.RTC,
            ZoneOffset.UTC);
    LiftAssembler a =
        new LiftAssembler(s, new BinRegistry(true, bins), clock, events::add, UUID::randomUUID);
    int distinctTags = 0;
    int lifts = 0;
    int exceptions = 0;
    String lastTag = null;
    // when
    for (int step = 0; step < 2_000; step++) {
      clock.advance(Duration.ofMillis(rnd.nextInt(8_000)));
      switch (rnd.nextInt(6)) {
        case 0, 1 -> {
          String id = "bin-" + rnd.nextInt(25);
          a.onTag(
              new TagRead(
                  "ff",
                  id,
                  TagTechnology.FDX_B,
                  1,
                  null,
                  "rear",
                  LifterSide.REAR_COMB,
                  clock.monotonicNanos()));
          lastTag = id;
          distinctTags++;
        }
        case 2 -> {
          long g = clock.monotonicNanos();
          clock.advance(Duration.ofMillis(rnd.nextInt(6_000)));
          a.onWeighing(
              new Weighing(
                  new BigDecimal("50"),
                  new BigDecimal("10"),
                  new BigDecimal("40"),
                  "kg",
                  BigDecimal.ONE,
                  BigDecimal.TEN,
                  new BigDecimal("500"),
                  rnd.nextBoolean(),
                  false,
                  false,
                  false,
                  null,
                  g,
                  clock.monotonicNanos()));
          lifts++;
        }
        case 3 -> {
          a.onException(ExceptionCode.values()[rnd.nextInt(ExceptionCode.values().length)], null);
          exceptions++;
        }
        case 4 ->
            a.onFix(
                new GnssFix(
                    rnd.nextBoolean(),
                    53.5,
                    10.0,
                    1.0,
                    FixMode.FIX_3D,
                    8,
                    clock.wallTime(),
                    clock.monotonicNanos()));
        default -> a.tick();
      }
    }
    a.flush();
    // then
    long withTag = events.stream().filter(e -> e.container() != null).count();
    long withWeight = events.stream().filter(e -> e.weighing() != null).count();
    long manualOrNoTagExceptions =
        events.stream()
            .filter(e -> e.outcome().isException() && e.flags().contains(QualityFlag.NO_TAG))
            .count();
    assertThat(withWeight).as("lift cycles recorded").isEqualTo(lifts);
    assertThat(manualOrNoTagExceptions).isLessThanOrEqualTo(exceptions);
    // Repeat reads of the pending tag merge, so tags in events never exceed reads and each read
    // count adds up.
    int readsInEvents =
        events.stream()
            .filter(e -> e.container() != null)
            .mapToInt(e -> e.container().readCount())
            .sum();
    assertThat(readsInEvents + a.repeatedBlockedReads()).isEqualTo(distinctTags);
    assertThat(withTag).isLessThanOrEqualTo(distinctTags);
    assertThat(a.hasPending()).isFalse();
    assertThat(lastTag).isNotNull();
  }
}
