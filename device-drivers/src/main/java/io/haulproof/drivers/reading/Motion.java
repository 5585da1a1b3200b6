package io.haulproof.drivers.reading;

/** Whether a scale reading was stable. */
public enum Motion {
  STABLE,
  MOTION,
  /** The protocol does not say (the weigher then judges stability from a window of readings). */
  UNKNOWN
}
