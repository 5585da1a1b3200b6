package io.haulproof.agent.lift;

/** How far an event's wall time can be trusted. */
public enum TimeQuality {
  /** From a valid GNSS fix no older than the maximum fix age. */
  GOOD,
  /** From the system clock, disciplined by NTP or an RTC, with no step seen. */
  DEGRADED,
  /** From the system clock after a detected step, or with no discipline at all. */
  UNSYNCED
}
