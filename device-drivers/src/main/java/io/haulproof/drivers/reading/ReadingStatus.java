package io.haulproof.drivers.reading;

/** How the device itself qualified a reading. */
public enum ReadingStatus {
  /** The device reports the value as valid. */
  VALID,
  /** The device sent a value but flagged it (e.g. GNSS status V, scale in motion). */
  WARNING,
  /** The device reported that it has no valid value (no fix, overload, error reply). */
  INVALID
}
