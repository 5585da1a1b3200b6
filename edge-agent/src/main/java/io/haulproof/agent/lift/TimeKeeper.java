package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Gives events their wall time and position: from GNSS when a valid fix is fresh, else from the
 * system clock with its source and quality recorded; and detects steps of the wall clock against
 * the monotonic clock.
 *
 * <p>Owned by the lift assembler's context: only that context may call {@link #onFix}, {@link
 * #sample} and the event methods. {@link #now()} may be called from any thread (the log writer
 * stamps entry headers with it).
 */
public final class TimeKeeper {
  private static final long NANOS_PER_MS = 1_000_000L;

  private final AgentClock clock;
  private final long maxFixAgeMs;
  private final long jumpThresholdMs;
  private final TimeSource fallback;

  private volatile GnssFix latest;
  private long lastMono;
  private Instant lastWall;
  private boolean jumpPending;
  private volatile boolean wallSuspect;
  private long jumps;
  private long lastJumpMs;

  public TimeKeeper(AgentClock clock, long maxFixAgeMs, long jumpThresholdMs, TimeSource fallback) {
    this.clock = clock;
    this.maxFixAgeMs = maxFixAgeMs;
    this.jumpThresholdMs = jumpThresholdMs;
    this.fallback = fallback;
    sample();
  }

  public void onFix(GnssFix fix) {
    latest = fix;
    if (fix.valid() && fix.utc() != null) {
      long offset = Duration.between(fix.utc(), wallAt(fix.atNanos())).toMillis();
      wallSuspect = Math.abs(offset) > jumpThresholdMs;
    }
  }

  /**
   * Compares the wall clock's progress with the monotonic clock's since the last sample; true on a
   * step.
   */
  public boolean sample() {
    long mono = clock.monotonicNanos();
    Instant wall = clock.wallTime();
    boolean jumped = false;
    if (lastWall != null) {
      long dMono = (mono - lastMono) / NANOS_PER_MS;
      long dWall = Duration.between(lastWall, wall).toMillis();
      if (Math.abs(dWall - dMono) > jumpThresholdMs) {
        jumps++;
        lastJumpMs = dWall - dMono;
        jumpPending = true;
        wallSuspect = true;
        jumped = true;
      }
    }
    lastMono = mono;
    lastWall = wall;
    return jumped;
  }

  /**
   * The wall time of an event at monotonic {@code atNanos}; adds {@link QualityFlag#CLOCK_JUMP}
   * once per step.
   */
  EventTime timeAt(long atNanos, Set<QualityFlag> flags) {
    sample();
    if (jumpPending) {
      flags.add(QualityFlag.CLOCK_JUMP);
      jumpPending = false;
    }
    return derive(atNanos);
  }

  /**
   * The wall time now, by the same rules as event times (GNSS from a valid fresh fix, else the
   * system clock with the fallback source, UNSYNCED after a step or a large offset from GNSS); safe
   * from any thread, and it neither samples for steps nor consumes a pending {@link
   * QualityFlag#CLOCK_JUMP}.
   */
  public EventTime now() {
    return derive(clock.monotonicNanos());
  }

  private EventTime derive(long atNanos) {
    GnssFix fix = latest;
    if (fix != null && fix.valid() && fix.utc() != null) {
      long ageMs = Math.abs(atNanos - fix.atNanos()) / NANOS_PER_MS;
      if (ageMs <= maxFixAgeMs) {
        Instant utc = fix.utc().plusNanos(atNanos - fix.atNanos());
        return new EventTime(utc, TimeSource.GNSS, TimeQuality.GOOD, ageMs);
      }
    }
    TimeQuality q = wallSuspect ? TimeQuality.UNSYNCED : TimeQuality.DEGRADED;
    return new EventTime(wallAt(atNanos), fallback, q, 0);
  }

  /** The position at monotonic {@code atNanos}, or null with {@link QualityFlag#NO_FIX}. */
  Position positionAt(long atNanos, Set<QualityFlag> flags) {
    if (latest == null || !latest.hasPosition()) {
      flags.add(QualityFlag.NO_FIX);
      return null;
    }
    long ageMs = Math.abs(atNanos - latest.atNanos()) / NANOS_PER_MS;
    if (!latest.valid()) {
      flags.add(QualityFlag.FIX_INVALID);
    }
    if (ageMs > maxFixAgeMs) {
      flags.add(QualityFlag.FIX_STALE);
    }
    return new Position(
        latest.lat(), latest.lon(), latest.hdop(), latest.fixMode(), latest.satellites(), ageMs);
  }

  private Instant wallAt(long atNanos) {
    return clock.wallTime().minusNanos(clock.monotonicNanos() - atNanos);
  }

  /** Wall-clock steps detected so far. */
  public long clockJumps() {
    return jumps;
  }

  /** Size of the last step in ms (wall minus monotonic progress), 0 when none. */
  public long lastJumpMs() {
    return lastJumpMs;
  }

  /** The latest fix, or null. */
  public GnssFix latestFix() {
    return latest;
  }
}
