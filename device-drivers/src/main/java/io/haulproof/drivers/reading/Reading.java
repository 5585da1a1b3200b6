package io.haulproof.drivers.reading;

/**
 * A typed, timestamped value produced by a driver; the sealed set of everything a sensor can
 * report.
 *
 * <p>Drivers never invent values: a field the device did not send is absent (an empty {@code
 * Optional}), never a default.
 */
public sealed interface Reading
    permits GpsFix, TagRead, WeightReading, FillLevelReading, DistanceReading {
  /** Which driver or node produced the reading, e.g. {@code "gps0"} or a node id. */
  String source();

  /** When the host received it. */
  Stamp stamp();

  /** Whether the device reported the value as valid. */
  ReadingStatus status();
}
