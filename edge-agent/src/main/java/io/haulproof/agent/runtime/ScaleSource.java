package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.scale.LiftCycleWeigher;
import io.haulproof.drivers.scale.LiftWeighing;
import io.haulproof.drivers.scale.MtSicsReader;
import io.haulproof.drivers.scale.ScaleSpec;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bin scale: the drivers' indicator protocol (Toledo continuous output, or MT-SICS polled with {@code SI}), then
 * the lift-cycle weigher, then {@link Weighing}s for the lift assembler.
 */
public final class ScaleSource extends StreamSource {
  private static final long SICS_POLL_NANOS = 100_000_000L;

  private final ScaleConfig config;
  private final AgentClock clock;
  private final ScaleSpec spec;
  private final ByteFramer framer;
  private final DriverMetrics metrics;
  private final LiftCycleTracker tracker;
  private final List<WeightReading> readings = new ArrayList<>();
  private long seenRejects;
  private long lastPoll;

  /**
   * @param motionTimeout how long a phase may go without a stable reading before it is closed without a value
   */
  public ScaleSource(String name, ScaleConfig config, Transport transport, AgentClock clock, Duration motionTimeout) {
    super(name, transport);
    this.config = config;
    this.clock = clock;
    this.metrics = new DriverMetrics(name);
    WeightUnit unit = config.unit().equals("lb") ? WeightUnit.LB : WeightUnit.KG;
    this.spec =
        new ScaleSpec(
            BigDecimal.valueOf(config.interval()), BigDecimal.valueOf(config.min()), BigDecimal.valueOf(config.max()),
            unit);
    Supplier<Stamp> stamps = () -> new Stamp(clock.monotonicNanos(), clock.wallTime());
    this.framer =
        switch (config.protocol()) {
          case "toledo" -> new ToledoContinuousReader(name, true, stamps, readings::add, metrics);
          case "mt-sics" -> new MtSicsReader(name, stamps, readings::add, metrics);
          default ->
              throw new IllegalArgumentException(
                  "scale protocol " + config.protocol() + " is not supported by this agent build");
        };
    LiftCycleWeigher weigher =
        new LiftCycleWeigher(
            spec,
            BigDecimal.valueOf(Math.max(1, config.stableSpreadIntervals())),
            Duration.ofMillis(config.stableWindowMs()),
            3,
            motionTimeout,
            metrics);
    BigDecimal threshold = spec.e().multiply(BigDecimal.valueOf(2)).max(spec.min().divide(BigDecimal.valueOf(4)));
    this.tracker = new LiftCycleTracker(weigher, threshold, motionTimeout.toNanos());
  }

  @Override
  protected void feed(byte[] buf, int n, SensorSink sink) {
    framer.feed(buf, 0, n);
    long total = metrics.rejectedTotal();
    while (seenRejects < total) {
      sink.rejected("scale");
      seenRejects++;
    }
    for (WeightReading r : readings) {
      sink.accepted("scale");
      live(r, sink);
      tracker.accept(r).ifPresent(w -> sink.weighing(toLift(w, r.stamp())));
    }
    readings.clear();
  }

  @Override
  protected void idle(SensorSink sink, Transport.Link link) throws IOException {
    Stamp now = new Stamp(clock.monotonicNanos(), clock.wallTime());
    tracker.poll(now).ifPresent(w -> sink.weighing(toLift(w, now)));
    if (config.protocol().equals("mt-sics") && now.monotonicNanos() - lastPoll > SICS_POLL_NANOS) {
      lastPoll = now.monotonicNanos();
      link.out().write(MtSicsReader.command("SI"));
      link.out().flush();
    }
  }

  private void live(WeightReading r, SensorSink sink) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("weight", r.weight().map(BigDecimal::toPlainString).orElse("—"));
    v.put("unit", r.unit().map(WeightUnit::symbol).orElse(""));
    v.put("motion", r.motion().name().toLowerCase());
    sink.live(name(), v);
  }

  private Weighing toLift(LiftWeighing w, Stamp now) {
    long grossAt = w.grossStamp().map(Stamp::monotonicNanos).orElse(now.monotonicNanos());
    long tareAt = Math.max(grossAt, w.tareStamp().map(Stamp::monotonicNanos).orElse(now.monotonicNanos()));
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
