package io.haulproof.agent.runtime;

import io.haulproof.agent.config.AdcConfig;
import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.drivers.pi4j.AdcTimeoutException;
import io.haulproof.drivers.pi4j.LoadCellAdcs;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.scale.AdcSample;
import io.haulproof.drivers.scale.Calibration;
import io.haulproof.drivers.scale.ScaleSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * A load-cell ADC on the gateway (NAU7802 or HX711 through Pi4J) as the bin scale: each conversion
 * is calibrated ({@link Calibration}: zero offset and counts per unit), rounded to e and fed to the
 * {@link WeighingPipeline} like an indicator's readings. The calibration changes live when a signed
 * {@code calibrate} request is applied ({@link RuntimeHooks}); the next conversion uses it.
 */
public final class AdcScaleSource implements SensorSource {
  private static final long ADC_TIMEOUT_MS = 1_000;

  private final String name;
  private final ScaleConfig config;
  private final AgentClock clock;
  private final DriverMetrics metrics;
  private final WeighingPipeline pipeline;
  private final ScaleSpec spec;
  private volatile Calibration calibration;
  private volatile LoadCellAdcs.Open adc;
  private volatile boolean closed;
  private volatile long lastRaw;

  public AdcScaleSource(String name, ScaleConfig config, AgentClock clock, Duration motionTimeout) {
    this.name = name;
    this.config = config;
    this.clock = clock;
    this.metrics = new DriverMetrics(name);
    this.pipeline = new WeighingPipeline(name, config, motionTimeout, metrics);
    this.spec =
        new ScaleSpec(
            BigDecimal.valueOf(config.interval()),
            BigDecimal.valueOf(config.min()),
            BigDecimal.valueOf(config.max()),
            pipeline.unit());
    AdcConfig a = config.adc();
    this.calibration = new Calibration(a.zero(), BigDecimal.valueOf(a.span()));
  }

  @Override
  public String name() {
    return name;
  }

  /** The scale's name in {@code calibrate} requests. */
  public String scaleName() {
    return config.name();
  }

  /** The calibration in force. */
  public Calibration calibration() {
    return calibration;
  }

  /** Applies a new calibration from the next conversion on; callable from any thread. */
  public void calibrate(Calibration next) {
    this.calibration = next;
  }

  /** The Pi4J context once open (for tests on the mock platform), or null. */
  public Object platform() {
    LoadCellAdcs.Open a = adc;
    return a == null ? null : a.platform();
  }

  @Override
  public void open() throws Exception {
    closed = false;
    AdcConfig a = config.adc();
    adc =
        config.protocol().equals("nau7802")
            ? LoadCellAdcs.nau7802(name + "-i2c", a.bus(), a.address(), ADC_TIMEOUT_MS, metrics)
            : LoadCellAdcs.hx711(
                name, a.dataPin(), a.clockPin(), ADC_TIMEOUT_MS, a.maxJump(), metrics);
  }

  @Override
  public void run(SensorSink sink) throws Exception {
    LoadCellAdcs.Open a = adc;
    if (a == null) {
      throw new IllegalStateException("sensor " + name + " is not open");
    }
    long sampleMs = config.adc().sampleMs();
    while (!closed) {
      Stamp now = new Stamp(clock.monotonicNanos(), clock.wallTime());
      int raw;
      try {
        raw = a.adc().read();
      } catch (MalformedFrameException e) {
        sink.rejected("scale");
        continue;
      } catch (AdcTimeoutException e) {
        if (closed) {
          break;
        }
        throw new IOException(name + ": " + e.getMessage(), e);
      }
      lastRaw = raw;
      WeightReading r = AdcSample.toReading(name, now, raw, calibration, spec);
      pipeline.accept(r, new RawCounts(sink, raw));
      pipeline.poll(now, sink);
      Thread.sleep(sampleMs);
    }
  }

  /** The last raw conversion (counts), shown on the status page for the calibration procedure. */
  public long lastRaw() {
    return lastRaw;
  }

  @Override
  public void close() {
    closed = true;
    LoadCellAdcs.Open a = adc;
    adc = null;
    if (a != null) {
      a.close();
    }
  }

  /** Adds the raw counts to the live values on the status page (calibration procedure step 2). */
  private record RawCounts(SensorSink sink, long raw) implements SensorSink {
    @Override
    public void tag(io.haulproof.agent.lift.TagRead tag) {
      sink.tag(tag);
    }

    @Override
    public void weighing(io.haulproof.agent.lift.Weighing weighing) {
      sink.weighing(weighing);
    }

    @Override
    public void fix(io.haulproof.agent.lift.GnssFix fix) {
      sink.fix(fix);
    }

    @Override
    public void accepted(String driver) {
      sink.accepted(driver);
    }

    @Override
    public void rejected(String driver) {
      sink.rejected(driver);
    }

    @Override
    public void live(String sensor, Map<String, Object> value) {
      Map<String, Object> v = new java.util.LinkedHashMap<>(value);
      v.put("raw", raw);
      sink.live(sensor, v);
    }
  }
}
