package io.haulproof.drivers.reading;

/** Whether the indicator reported its weight within range. */
public enum ScaleRange {
  IN_RANGE,
  OVERLOAD,
  UNDERLOAD,
  /** Out of range without saying which side (Toledo SWB bit 2). */
  OUT_OF_RANGE
}
