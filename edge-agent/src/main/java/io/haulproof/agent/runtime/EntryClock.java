package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.EventTime;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.TimeKeeper;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.log.WallClock;

/**
 * The wall clock that stamps entry headers: the lift assembler's {@link TimeKeeper} once it runs
 * (GNSS time while a valid fix is fresh, else the system clock with the configured source), the
 * host clock with source UNKNOWN before that or on a gateway without a lifter (DESIGN.md, "Replay
 * and ordering"; header field 7 is the uncertainty).
 */
public final class EntryClock implements WallClock {
  /**
   * NMEA sentences arrive up to about a second after the epoch they state; we time them on arrival.
   */
  static final int GNSS_UNCERTAINTY_MS = 1_000;

  /** An NTP-disciplined clock on a mobile link, with no step seen. */
  static final int NTP_UNCERTAINTY_MS = 1_000;

  /** A battery RTC drifts by seconds a day between syncs. */
  static final int RTC_UNCERTAINTY_MS = 10_000;

  /** No discipline known, or the clock stepped: the assumption {@link WallClock#system()} makes. */
  static final int UNKNOWN_UNCERTAINTY_MS = 60_000;

  private final WallClock host = WallClock.system();
  private volatile TimeKeeper keeper;

  /** From now on, take wall time, source and quality from {@code keeper}. */
  public void follow(TimeKeeper keeper) {
    this.keeper = keeper;
  }

  /** The latest GNSS fix the followed keeper has taken in, or null (tests wait on it). */
  GnssFix latestFix() {
    TimeKeeper k = keeper;
    return k == null ? null : k.latestFix();
  }

  @Override
  public Reading now() {
    TimeKeeper k = keeper;
    if (k == null) {
      return host.now();
    }
    return reading(k.now());
  }

  /**
   * The header reading for an event time: its source and quality as a source code and an
   * uncertainty.
   */
  static Reading reading(EventTime t) {
    long millis = t.utc().toEpochMilli();
    return switch (t.quality()) {
      case GOOD -> new Reading(millis, TimeSource.GNSS, GNSS_UNCERTAINTY_MS);
      case DEGRADED ->
          switch (t.source()) {
            case GNSS -> new Reading(millis, TimeSource.GNSS, GNSS_UNCERTAINTY_MS);
            case NTP -> new Reading(millis, TimeSource.NTP, NTP_UNCERTAINTY_MS);
            case RTC -> new Reading(millis, TimeSource.RTC, RTC_UNCERTAINTY_MS);
            case UNKNOWN -> new Reading(millis, TimeSource.UNKNOWN, UNKNOWN_UNCERTAINTY_MS);
          };
      case UNSYNCED -> new Reading(millis, TimeSource.UNKNOWN, UNKNOWN_UNCERTAINTY_MS);
    };
  }
}
