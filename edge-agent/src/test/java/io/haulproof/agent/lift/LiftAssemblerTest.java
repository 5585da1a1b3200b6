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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiftAssemblerTest {
  // A Tuesday.
  private static final Instant T0 = Instant.parse("2026-11-17T07:30:00Z");
  private static final Instrument SCALE = new Instrument("DE-123", "S-9", "1.0", "2026-03-01");

  private ManualClock clock;
  private List<CollectionEvent> events;
  private LiftAssembler assembler;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0);
    events = new ArrayList<>();
    assembler = assembler(SCALE);
  }

  private LiftAssembler assembler(Instrument instrument) {
    AssemblerSettings s =
        new AssemblerSettings(
            "truck-1",
            "tour-7",
            "crew-3",
            instrument,
            20_000,
            30_000,
            3_000,
            2_000,
            5_000,
            TimeSource.NTP,
            ZoneOffset.UTC);
    BinRegistry registry =
        new BinRegistry(
            true,
            List.of(
                new RegisteredBin(
                    "276-000000000001", "residual", 240, EnumSet.allOf(DayOfWeek.class)),
                new RegisteredBin(
                    "276-000000000002", "organic", 120, EnumSet.of(DayOfWeek.FRIDAY))));
    return new LiftAssembler(s, registry, clock, events::add, UUID::randomUUID);
  }

  private TagRead tag(String id) {
    return new TagRead(
        "00ab",
        id,
        TagTechnology.FDX_B,
        1,
        -48,
        "rear-comb",
        LifterSide.REAR_COMB,
        clock.monotonicNanos());
  }

  private Weighing weighing(
      String gross, String tare, boolean stable, boolean belowMin, long grossAt, long tareAt) {
    BigDecimal g = new BigDecimal(gross);
    BigDecimal t = new BigDecimal(tare);
    return new Weighing(
        g,
        t,
        g.subtract(t),
        "kg",
        new BigDecimal("0.5"),
        new BigDecimal("10"),
        new BigDecimal("500"),
        stable,
        belowMin,
        false,
        false,
        41L,
        grossAt,
        tareAt);
  }

  private Weighing liftNow(String gross, String tare) {
    long g = clock.monotonicNanos();
    clock.advance(Duration.ofSeconds(5));
    return weighing(gross, tare, true, false, g, clock.monotonicNanos());
  }

  private GnssFix fixNow() {
    return new GnssFix(
        true, 53.55, 9.99, 0.9, FixMode.FIX_3D, 9, clock.wallTime(), clock.monotonicNanos());
  }

  @Test
  void onWeighing_registeredTagWithinWindow_emitsEmptiedEventWithWeightGnssTimeAndPosition() {
    // given
    assembler.onTag(tag("276-000000000001"));
    clock.advance(Duration.ofSeconds(2));
    assembler.onFix(fixNow());
    // when
    assembler.onWeighing(liftNow("58.5", "14.0"));
    // then
    assertThat(events).hasSize(1);
    CollectionEvent e = events.get(0);
    assertThat(e.outcome()).isEqualTo(Outcome.EMPTIED);
    assertThat(e.container().id()).isEqualTo("276-000000000001");
    assertThat(e.fraction()).isEqualTo("residual");
    assertThat(e.volumeLitres()).isEqualTo(240);
    assertThat(e.weighing().net()).isEqualByComparingTo("44.5");
    assertThat(e.instrument()).isEqualTo(SCALE);
    assertThat(e.lifterId()).isEqualTo("rear-comb");
    assertThat(e.side()).isEqualTo(LifterSide.REAR_COMB);
    assertThat(e.tourId()).isEqualTo("tour-7");
    assertThat(e.flags()).isEmpty();
    assertThat(e.time().source()).isEqualTo(TimeSource.GNSS);
    assertThat(e.time().quality()).isEqualTo(TimeQuality.GOOD);
    assertThat(e.time().utc()).isEqualTo(T0.plusSeconds(7));
    assertThat(e.position().lat()).isEqualTo(53.55);
    assertThat(e.position().ageMs()).isEqualTo(5_000);
  }

  @Test
  void onTag_unknownBin_emitsBlockedNotRegisteredAtOnce() {
    // when
    assembler.onTag(tag("276-999999999999"));
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.BLOCKED_NOT_REGISTERED);
              assertThat(e.weighing()).isNull();
              assertThat(e.fraction()).isNull();
            });
    assertThat(assembler.hasPending()).isFalse();
  }

  @Test
  void onTag_blockedBinReadAgain_isRecordedOnce() {
    // given
    assembler.onTag(tag("276-999999999999"));
    clock.advance(Duration.ofSeconds(2));
    // when
    assembler.onTag(tag("276-999999999999"));
    // then
    assertThat(events).hasSize(1);
  }

  @Test
  void onTag_binDueOnAnotherDay_emitsBlockedWrongDay() {
    // when (T0 is a Tuesday, the bin is collected on Fridays)
    assembler.onTag(tag("276-000000000002"));
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.BLOCKED_WRONG_DAY);
              assertThat(e.fraction()).isEqualTo("organic");
            });
  }

  @Test
  void tick_tagWithoutLiftCycleAfterTimeout_emitsEventFlaggedNoWeight() {
    // given
    assembler.onTag(tag("276-000000000001"));
    clock.advance(Duration.ofSeconds(29));
    assembler.tick();
    assertThat(events).isEmpty();
    // when
    clock.advance(Duration.ofSeconds(2));
    assembler.tick();
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.EMPTIED);
              assertThat(e.weighing()).isNull();
              assertThat(e.flags()).contains(QualityFlag.NO_WEIGHT, QualityFlag.NO_FIX);
              assertThat(e.time().source()).isEqualTo(TimeSource.NTP);
              assertThat(e.time().quality()).isEqualTo(TimeQuality.DEGRADED);
            });
  }

  @Test
  void tick_liftCycleWithoutTagAfterGrace_emitsEventFlaggedNoTag() {
    // given
    assembler.onWeighing(liftNow("30", "12"));
    // when
    clock.advance(Duration.ofSeconds(4));
    assembler.tick();
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.container()).isNull();
              assertThat(e.flags()).contains(QualityFlag.NO_TAG);
              assertThat(e.weighing().net()).isEqualByComparingTo("18");
              assertThat(e.side()).isEqualTo(LifterSide.NONE);
            });
  }

  @Test
  void onTag_afterLiftCycleWithinGrace_emitsOneEventFlaggedTagLate() {
    // given
    assembler.onWeighing(liftNow("30", "12"));
    clock.advance(Duration.ofSeconds(1));
    // when
    assembler.onTag(tag("276-000000000001"));
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.container().id()).isEqualTo("276-000000000001");
              assertThat(e.flags())
                  .contains(QualityFlag.TAG_LATE)
                  .doesNotContain(QualityFlag.NO_TAG);
              assertThat(e.weighing()).isNotNull();
            });
    assertThat(assembler.hasPending()).isFalse();
  }

  @Test
  void onTag_afterGracePeriod_isTheNextBinNotALateRead() {
    // given
    assembler.onWeighing(liftNow("30", "12"));
    clock.advance(Duration.ofSeconds(4));
    // when (no tick in between)
    assembler.onTag(tag("276-000000000001"));
    // then
    assertThat(events)
        .singleElement()
        .satisfies(e -> assertThat(e.flags()).contains(QualityFlag.NO_TAG));
    assertThat(assembler.hasPending()).isTrue();
  }

  @Test
  void onWeighing_tagOlderThanWindow_emitsTagUnweighedAndLiftUntagged() {
    // given
    assembler.onTag(tag("276-000000000001"));
    clock.advance(Duration.ofSeconds(25));
    // when
    assembler.onWeighing(liftNow("30", "12"));
    clock.advance(Duration.ofSeconds(5));
    assembler.tick();
    // then
    assertThat(events).hasSize(2);
    assertThat(events.get(0).flags()).contains(QualityFlag.NO_WEIGHT);
    assertThat(events.get(1).flags()).contains(QualityFlag.NO_TAG);
  }

  @Test
  void onException_withPendingTag_recordsTheCodeAgainstThatBin() {
    // given
    assembler.onTag(tag("276-000000000001"));
    // when
    assembler.onException(ExceptionCode.CONTAMINATED, null);
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Outcome.CONTAMINATED);
              assertThat(e.container().id()).isEqualTo("276-000000000001");
              assertThat(e.weighing()).isNull();
            });
  }

  @Test
  void onException_noTagButManualId_recordsManualIdFlag() {
    // when
    assembler.onException(ExceptionCode.NOT_OUT, "276-000000000001");
    assembler.onException(ExceptionCode.NO_ACCESS, null);
    // then
    assertThat(events).hasSize(2);
    assertThat(events.get(0).outcome()).isEqualTo(Outcome.NOT_OUT);
    assertThat(events.get(0).container().technology()).isEqualTo(TagTechnology.MANUAL);
    assertThat(events.get(0).flags()).contains(QualityFlag.MANUAL_ID);
    assertThat(events.get(1).outcome()).isEqualTo(Outcome.NO_ACCESS);
    assertThat(events.get(1).flags()).contains(QualityFlag.NO_TAG);
  }

  @Test
  void onTag_repeatReadOfSameTag_mergesReadCount() {
    // given
    assembler.onTag(tag("276-000000000001"));
    clock.advance(Duration.ofMillis(300));
    // when
    assembler.onTag(tag("276-000000000001"));
    assembler.onWeighing(liftNow("40", "10"));
    // then
    assertThat(events)
        .singleElement()
        .satisfies(e -> assertThat(e.container().readCount()).isEqualTo(2));
  }

  @Test
  void onWeighing_unstableAndBelowMin_carriesFlags() {
    // given
    assembler.onTag(tag("276-000000000001"));
    long g = clock.monotonicNanos();
    clock.advance(Duration.ofSeconds(4));
    // when
    assembler.onWeighing(weighing("15", "10", false, true, g, clock.monotonicNanos()));
    // then
    assertThat(events.get(0).flags()).contains(QualityFlag.WEIGHT_UNSTABLE, QualityFlag.BELOW_MIN);
  }

  @Test
  void timeAt_staleFix_usesFallbackSourceAndFlagsStalePosition() {
    // given
    assembler.onFix(fixNow());
    clock.advance(Duration.ofSeconds(10));
    // when
    assembler.onException(ExceptionCode.DAMAGED, null);
    // then
    CollectionEvent e = events.get(0);
    assertThat(e.time().source()).isEqualTo(TimeSource.NTP);
    assertThat(e.flags()).contains(QualityFlag.FIX_STALE);
    assertThat(e.position().ageMs()).isEqualTo(10_000);
  }

  @Test
  void timeAt_invalidFix_flagsFixInvalidAndDoesNotUseItsTime() {
    // given
    assembler.onFix(
        new GnssFix(
            false,
            53.5,
            9.9,
            null,
            FixMode.NO_FIX,
            0,
            T0.minusSeconds(3600),
            clock.monotonicNanos()));
    // when
    assembler.onException(ExceptionCode.DAMAGED, null);
    // then
    CollectionEvent e = events.get(0);
    assertThat(e.flags()).contains(QualityFlag.FIX_INVALID);
    assertThat(e.time().source()).isEqualTo(TimeSource.NTP);
    assertThat(e.time().utc()).isEqualTo(T0);
  }

  @Test
  void tick_wallClockStepped_flagsNextEventOnceAndMarksTimeUnsynced() {
    // given
    assembler.tick();
    clock.advance(Duration.ofSeconds(1));
    clock.stepWall(Duration.ofMinutes(-10));
    // when
    assembler.tick();
    assembler.onException(ExceptionCode.NOT_OUT, null);
    assembler.onException(ExceptionCode.NOT_OUT, null);
    // then
    assertThat(assembler.timeKeeper().clockJumps()).isEqualTo(1);
    assertThat(assembler.timeKeeper().lastJumpMs()).isEqualTo(-600_000);
    assertThat(events.get(0).flags()).contains(QualityFlag.CLOCK_JUMP);
    assertThat(events.get(0).time().quality()).isEqualTo(TimeQuality.UNSYNCED);
    assertThat(events.get(1).flags()).doesNotContain(QualityFlag.CLOCK_JUMP);
  }

  @Test
  void onFix_gnssAgreesWithWallAfterStep_timeQualityRecovers() {
    // given a step, then a fix whose GNSS time matches the (stepped) wall clock
    assembler.tick();
    clock.stepWall(Duration.ofMinutes(5));
    assembler.tick();
    assembler.onFix(fixNow());
    clock.advance(Duration.ofSeconds(30));
    // when
    assembler.onException(ExceptionCode.NOT_OUT, null);
    // then
    assertThat(events.get(0).time().source()).isEqualTo(TimeSource.NTP);
    assertThat(events.get(0).time().quality()).isEqualTo(TimeQuality.DEGRADED);
  }

  @Test
  void onTag_noScaleFitted_emitsAtOnceFlaggedNotWeighed() {
    // given
    LiftAssembler noScale = assembler(null);
    // when
    noScale.onTag(tag("276-000000000001"));
    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.flags()).contains(QualityFlag.NOT_WEIGHED);
              assertThat(e.instrument()).isNull();
            });
  }

  @Test
  void flush_pendingTagAndWeighing_emitsBoth() {
    // given
    assembler.onWeighing(liftNow("30", "12"));
    clock.advance(Duration.ofSeconds(10));
    assembler.tick();
    assembler.onTag(tag("276-000000000001"));
    // when
    assembler.flush();
    // then
    assertThat(events).hasSize(2);
    assertThat(assembler.hasPending()).isFalse();
  }

  @Test
  void setRoute_changesTourAndCrewOfFollowingEvents() {
    // when
    assembler.setRoute("tour-9", "crew-1");
    assembler.onException(ExceptionCode.NOT_OUT, null);
    // then
    assertThat(events.get(0).tourId()).isEqualTo("tour-9");
    assertThat(events.get(0).crewId()).isEqualTo("crew-1");
  }

  @Test
  void collectionEvent_missingPartWithoutFlag_isRejected() {
    EventTime t = new EventTime(T0, TimeSource.RTC, TimeQuality.UNSYNCED, 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new CollectionEvent(
                    UUID.randomUUID(),
                    "v",
                    null,
                    LifterSide.NONE,
                    null,
                    null,
                    null,
                    null,
                    0,
                    t,
                    null,
                    null,
                    null,
                    Outcome.EMPTIED,
                    Set.of(QualityFlag.NO_FIX, QualityFlag.NO_TAG),
                    0))
        .hasMessageContaining("NO_WEIGHT");
  }
}
