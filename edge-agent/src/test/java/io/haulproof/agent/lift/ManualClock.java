package io.haulproof.agent.lift;

import java.time.Duration;
import java.time.Instant;

/** A clock the test moves by hand; the wall clock can be stepped apart from the monotonic one. */
final class ManualClock implements AgentClock {
  private long mono = 1_000_000_000L;
  private Instant wall;

  ManualClock(Instant wall) {
    this.wall = wall;
  }

  void advance(Duration d) {
    mono += d.toNanos();
    wall = wall.plus(d);
  }

  void stepWall(Duration d) {
    wall = wall.plus(d);
  }

  @Override
  public long monotonicNanos() {
    return mono;
  }

  @Override
  public Instant wallTime() {
    return wall;
  }
}
