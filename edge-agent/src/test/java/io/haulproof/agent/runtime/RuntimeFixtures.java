package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.config.HttpConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.AssemblerSettings;
import io.haulproof.agent.lift.BinRegistry;
import io.haulproof.agent.lift.Instrument;
import io.haulproof.agent.lift.RegisteredBin;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.lightchain.entry.TimeSource;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;

/** The truck settings, bin registry and weighing that the runtime tests share. */
final class RuntimeFixtures {
  private RuntimeFixtures() {}

  /** Lift assembly settings for device {@code truck-1} on an NTP clock in UTC. */
  static AssemblerSettings truckOneSettings() {
    return new AssemblerSettings(
        "truck-1",
        "tour",
        "crew",
        new Instrument("A", "S", "1", "2026-01-01"),
        20_000,
        30_000,
        0,
        2_000,
        5_000,
        TimeSource.NTP,
        ZoneOffset.UTC);
  }

  /**
   * The runtime parts of {@code truck-1} ({@link #truckOneSettings()}, {@link #oneResidualBin()},
   * system clock, blocks of at most 100 entries or 200 ms, checkpoints every 60 s, no extras).
   */
  static RuntimeParts truckOneParts(
      EvidencePort evidence,
      UplinkPort uplink,
      List<SensorSource> sensors,
      HttpConfig http,
      Notifier notifier,
      long watchdogMs) {
    return new RuntimeParts(
        "truck-1",
        AgentClock.system(),
        truckOneSettings(),
        oneResidualBin(),
        evidence,
        null,
        uplink,
        sensors,
        new ChainConfig(100, 200L, 60_000L),
        http,
        notifier,
        watchdogMs,
        List.of());
  }

  /** An enforcing registry with one 240 l residual bin, {@code bin-1}, emptied any day. */
  static BinRegistry oneResidualBin() {
    return new BinRegistry(
        true, List.of(new RegisteredBin("bin-1", "residual", 240, EnumSet.allOf(DayOfWeek.class))));
  }

  /** A stable, in-range weighing: 52.5 kg gross, 12.0 kg tare, 40.5 kg net, taken at {@code t}. */
  static Weighing weighing(long t) {
    return new Weighing(
        new BigDecimal("52.5"),
        new BigDecimal("12.0"),
        new BigDecimal("40.5"),
        "kg",
        new BigDecimal("0.5"),
        BigDecimal.TEN,
        new BigDecimal("500"),
        true,
        false,
        false,
        false,
        null,
        t,
        t);
  }
}
