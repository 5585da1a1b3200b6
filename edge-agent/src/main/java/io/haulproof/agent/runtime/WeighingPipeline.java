package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.scale.LiftCycleWeigher;
import io.haulproof.drivers.scale.LiftWeighing;
import io.haulproof.drivers.scale.ScaleSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weight readings of any indicator protocol in, {@link Weighing}s out: the drivers' lift-cycle
 * weigher driven by the {@link LiftCycleTracker}, plus live values for the status page. Owned by
 * one sensor thread.
 */
final class WeighingPipeline {
  private final String name;
  private final ScaleSpec spec;
  private final LiftCycleTracker tracker;

  WeighingPipeline(String name, ScaleConfig config, Duration motionTimeout, DriverMetrics metrics) {
    this.name = name;
    WeightUnit unit = config.unit().equals("lb") ? WeightUnit.LB : WeightUnit.KG;
    this.spec =
        new ScaleSpec(
            BigDecimal.valueOf(config.interval()),
            BigDecimal.valueOf(config.min()),
            BigDecimal.valueOf(config.max()),
            unit);
    LiftCycleWeigher weigher =
        new LiftCycleWeigher(
            spec,
            BigDecimal.valueOf(Math.max(1, config.stableSpreadIntervals())),
            Duration.ofMillis(config.stableWindowMs()),
            3,
            motionTimeout,
            metrics);
    BigDecimal threshold =
        spec.e().multiply(BigDecimal.valueOf(2)).max(spec.min().divide(BigDecimal.valueOf(4)));
    this.tracker = new LiftCycleTracker(weigher, threshold, motionTimeout.toNanos());
  }

  WeightUnit unit() {
    return spec.unit();
  }

  void accept(WeightReading r, SensorSink sink) {
    sink.accepted("scale");
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("weight", r.weight().map(BigDecimal::toPlainString).orElse("—"));
    v.put("unit", r.unit().map(WeightUnit::symbol).orElse(""));
    v.put("motion", r.motion().name().toLowerCase());
    sink.live(name, v);
    tracker.accept(r).ifPresent(w -> sink.weighing(toLift(w, r.stamp())));
  }

  void poll(Stamp now, SensorSink sink) {
    tracker.poll(now).ifPresent(w -> sink.weighing(toLift(w, now)));
  }

  private Weighing toLift(LiftWeighing w, Stamp now) {
    long grossAt = w.grossStamp().map(Stamp::monotonicNanos).orElse(now.monotonicNanos());
    long tareAt =
        Math.max(grossAt, w.tareStamp().map(Stamp::monotonicNanos).orElse(now.monotonicNanos()));
    boolean stable = w.gross().isPresent() && w.tare().isPresent() && !w.motionTimeout();
    return new Weighing(
        stable || w.tare().isEmpty() ? w.gross().orElse(null) : null,
        stable || w.gross().isEmpty() ? w.tare().orElse(null) : null,
        stable ? w.net().orElseThrow() : null,
        spec.unit().symbol(),
        spec.e(),
        spec.min(),
        spec.max(),
        stable,
        w.belowMin(),
        w.overMax(),
        w.tilt(),
        null,
        grossAt,
        tareAt);
  }
}
