package io.haulproof.agent.lift;

import java.time.Instant;

/**
 * The two clocks the agent reads: monotonic uptime (never steps) and wall time (may step when set).
 */
public interface AgentClock {
  /** Monotonic time in nanoseconds, comparable only with itself. */
  long monotonicNanos();

  /** The system's wall time, which NTP, an RTC or an operator may step. */
  Instant wallTime();

  /** The real clocks of this JVM. */
  static AgentClock system() {
    return new AgentClock() {
      @Override
      public long monotonicNanos() {
        return System.nanoTime();
      }

      @Override
      public Instant wallTime() {
        return Instant.now();
      }
    };
  }
}
