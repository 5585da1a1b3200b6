package io.haulproof.agent.demo;

import io.haulproof.agent.config.InstrumentConfig;
import io.haulproof.agent.config.PortConfig;
import io.haulproof.agent.config.RfidConfig;
import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.AssemblerSettings;
import io.haulproof.agent.lift.BinRegistry;
import io.haulproof.agent.lift.Instrument;
import io.haulproof.agent.lift.LifterSide;
import io.haulproof.agent.runtime.GnssSource;
import io.haulproof.agent.runtime.PipeTransport;
import io.haulproof.agent.runtime.RfidSource;
import io.haulproof.agent.runtime.ScaleSource;
import io.haulproof.agent.runtime.SensorSource;
import io.haulproof.lightchain.entry.TimeSource;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The simulated rear-loader: the same sensor sources and drivers as {@code run}, attached to
 * in-memory pipes, with correlation windows scaled to the demo's lift interval.
 */
public final class DemoTruck {
  public static final String VEHICLE = "HH-DEMO-1";
  static final InstrumentConfig INSTRUMENT =
      new InstrumentConfig("DE-M-DEMO-0001", "DEMO-SCALE-1", "toledo-sim-1.0", "2026-03-01");

  public final PipeTransport gpsLine = new PipeTransport("gps");
  public final PipeTransport rfidLine = new PipeTransport("rfid");
  public final PipeTransport scaleLine = new PipeTransport("scale");
  private final long intervalMs;
  private final AgentClock clock;

  public DemoTruck(long intervalMs, AgentClock clock) {
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  public List<SensorSource> sensors() {
    ScaleConfig scale =
        new ScaleConfig(
            "toledo",
            new PortConfig("/dev/demo-scale", 9600),
            "kg",
            0.5,
            10.0,
            500.0,
            100L,
            1,
            null,
            INSTRUMENT,
            null,
            null);
    RfidConfig rfid =
        new RfidConfig(
            "fdxb-uart",
            new PortConfig("/dev/demo-rfid", 9600),
            "rear-comb",
            LifterSide.REAR_COMB,
            Math.max(10, intervalMs / 4));
    return List.of(
        new GnssSource("gps", gpsLine, clock),
        new RfidSource("rfid", rfid, rfidLine, clock),
        new ScaleSource("scale", scale, scaleLine, clock, Duration.ofMillis(intervalMs * 4)));
  }

  public AssemblerSettings assemblerSettings(String tour) {
    return new AssemblerSettings(
        VEHICLE,
        tour,
        "crew-demo",
        new Instrument(
            INSTRUMENT.approval(),
            INSTRUMENT.serial(),
            INSTRUMENT.softwareId(),
            INSTRUMENT.calibrationDate()),
        intervalMs,
        intervalMs * 3 / 2,
        intervalMs / 5,
        2_000,
        Math.max(1_000, intervalMs * 2),
        TimeSource.NTP,
        ZoneOffset.UTC);
  }

  public static BinRegistry registry(DemoRoute route) {
    return new BinRegistry(true, route.registry());
  }
}
