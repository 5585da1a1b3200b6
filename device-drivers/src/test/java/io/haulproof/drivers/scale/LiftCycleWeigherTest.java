package io.haulproof.drivers.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiftCycleWeigherTest {
  private static final long MS = 1_000_000;
  private static final ScaleSpec SPEC =
      new ScaleSpec(
          new BigDecimal("0.5"), new BigDecimal("10"), new BigDecimal("500"), WeightUnit.KG);

  private final LiftCycleWeigher w =
      new LiftCycleWeigher(
          SPEC,
          new BigDecimal("2"),
          Duration.ofMillis(500),
          4,
          Duration.ofSeconds(5),
          new DriverMetrics("lift"));

  private static Stamp at(long ms) {
    return new Stamp(ms * MS, Instant.EPOCH.plusMillis(ms));
  }

  private static WeightReading r(long ms, String kg, Motion m) {
    return new WeightReading(
        "s",
        at(ms),
        m == Motion.MOTION ? ReadingStatus.WARNING : ReadingStatus.VALID,
        Optional.of(new BigDecimal(kg)),
        Optional.empty(),
        Optional.of(WeightUnit.KG),
        false,
        m,
        ScaleRange.IN_RANGE);
  }

  @Test
  void cycle_stableGrossAndTare_netIsDifference() {
    // given
    w.startGross(at(0));
    w.accept(r(100, "60.0", Motion.MOTION));
    w.accept(r(200, "58.5", Motion.STABLE));
    w.startTare(at(300));
    w.accept(r(400, "30.0", Motion.MOTION));
    assertThat(w.poll(at(450))).isEmpty();
    w.accept(r(500, "20.0", Motion.STABLE));
    // when
    LiftWeighing lw = w.poll(at(600)).orElseThrow();
    // then
    assertThat(lw.gross()).contains(new BigDecimal("58.5"));
    assertThat(lw.tare()).contains(new BigDecimal("20.0"));
    assertThat(lw.net()).contains(new BigDecimal("38.5"));
    assertThat(lw.billable()).isTrue();
  }

  @Test
  void cycle_adcWithoutMotionFlag_stableOnlyWhenSpreadBelowKe() {
    w.startGross(at(0));
    // spread 2.0 >= k·e = 1.0: not stable
    for (int i = 0; i < 6; i++) {
      w.accept(r(100 + 50 * i, i % 2 == 0 ? "50.0" : "52.0", Motion.UNKNOWN));
    }
    w.startTare(at(500));
    for (int i = 0; i < 4; i++) {
      w.accept(r(600 + 50 * i, i % 2 == 0 ? "12.0" : "12.5", Motion.UNKNOWN));
    }
    LiftWeighing lw = w.poll(at(900)).orElseThrow();
    assertThat(lw.gross()).isEmpty();
    assertThat(lw.tare())
        .contains(new BigDecimal("12.5")); // the reading that completed a stable window
    assertThat(lw.net()).isEmpty();
    assertThat(lw.motionTimeout()).isTrue();
    assertThat(lw.billable()).isFalse();
  }

  @Test
  void cycle_tareNeverStable_motionTimeout() {
    w.startGross(at(0));
    w.accept(r(100, "40", Motion.STABLE));
    w.startTare(at(200));
    w.accept(r(300, "10", Motion.MOTION));
    assertThat(w.poll(at(4000))).isEmpty();
    LiftWeighing lw = w.poll(at(5300)).orElseThrow();
    assertThat(lw.motionTimeout()).isTrue();
    assertThat(lw.net()).isEmpty();
  }

  @Test
  void cycle_flags_belowMinOverMaxTilt() {
    w.startGross(at(0));
    w.accept(r(100, "25.0", Motion.STABLE));
    w.accept(
        new WeightReading(
            "s",
            at(120),
            ReadingStatus.INVALID,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Motion.UNKNOWN,
            ScaleRange.OVERLOAD));
    w.tilt();
    w.startTare(at(200));
    w.accept(r(300, "20.0", Motion.STABLE));
    LiftWeighing lw = w.poll(at(400)).orElseThrow();
    assertThat(lw.net()).contains(new BigDecimal("5.0"));
    assertThat(lw.belowMin()).isTrue();
    assertThat(lw.overMax()).isTrue();
    assertThat(lw.tilt()).isTrue();
    assertThat(lw.billable()).isFalse();
  }

  @Test
  void cycle_wrongUnit_rejectedAndCounted() {
    DriverMetrics m = new DriverMetrics("lift");
    LiftCycleWeigher lw =
        new LiftCycleWeigher(
            SPEC, BigDecimal.ONE, Duration.ofMillis(500), 2, Duration.ofSeconds(1), m);
    lw.startGross(at(0));
    lw.accept(
        new WeightReading(
            "s",
            at(10),
            ReadingStatus.VALID,
            Optional.of(BigDecimal.TEN),
            Optional.empty(),
            Optional.of(WeightUnit.LB),
            false,
            Motion.STABLE,
            ScaleRange.IN_RANGE));
    assertThat(m.rejectedCount("unit")).isEqualTo(1);
  }
}
