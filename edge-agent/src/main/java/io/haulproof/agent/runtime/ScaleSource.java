package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.scale.MtSicsReader;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The bin scale on a byte stream: the drivers' indicator protocol (Toledo continuous output, or
 * MT-SICS polled with {@code SI}), then the {@link WeighingPipeline}.
 */
public final class ScaleSource extends StreamSource {
  private static final long SICS_POLL_NANOS = 100_000_000L;

  private final ScaleConfig config;
  private final AgentClock clock;
  private final ByteFramer framer;
  private final DriverMetrics metrics;
  private final WeighingPipeline pipeline;
  private final List<WeightReading> readings = new ArrayList<>();
  private long seenRejects;
  private long lastPoll;

  /**
   * @param motionTimeout how long a phase may go without a stable reading before it is closed
   *     without a value
   */
  public ScaleSource(
      String name,
      ScaleConfig config,
      Transport transport,
      AgentClock clock,
      Duration motionTimeout) {
    super(name, transport);
    this.config = config;
    this.clock = clock;
    this.metrics = new DriverMetrics(name);
    Supplier<Stamp> stamps = () -> new Stamp(clock.monotonicNanos(), clock.wallTime());
    this.framer =
        switch (config.protocol()) {
          case "toledo" -> new ToledoContinuousReader(name, true, stamps, readings::add, metrics);
          case "mt-sics" -> new MtSicsReader(name, stamps, readings::add, metrics);
          default ->
              throw new IllegalArgumentException(
                  "scale protocol " + config.protocol() + " is not a byte stream");
        };
    this.pipeline = new WeighingPipeline(name, config, motionTimeout, metrics);
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
      pipeline.accept(r, sink);
    }
    readings.clear();
  }

  @Override
  protected void idle(SensorSink sink, Transport.Link link) throws IOException {
    Stamp now = new Stamp(clock.monotonicNanos(), clock.wallTime());
    pipeline.poll(now, sink);
    if (config.protocol().equals("mt-sics") && now.monotonicNanos() - lastPoll > SICS_POLL_NANOS) {
      lastPoll = now.monotonicNanos();
      link.out().write(MtSicsReader.command("SI"));
      link.out().flush();
    }
  }
}
