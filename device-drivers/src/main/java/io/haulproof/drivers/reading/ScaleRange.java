package io.haulproof.drivers.reading;

/** Whether the indicator reported its weight within range. */
public enum ScaleRange {
  IN_RANGE,
  OVERLOAD,
  UNDERLOAD
}
