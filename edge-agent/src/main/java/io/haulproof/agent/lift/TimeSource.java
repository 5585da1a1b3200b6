package io.haulproof.agent.lift;

/** Where the wall time of an event came from (DOMAIN.md section 2, "time source"). */
public enum TimeSource {
  GNSS,
  NTP,
  RTC
}
