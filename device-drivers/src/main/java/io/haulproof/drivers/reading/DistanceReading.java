package io.haulproof.drivers.reading;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A distance (ultrasonic level sensor), modelled on LwM2M/IPSO object 3330 "Distance": value (5700)
 * and units (5701).
 */
public record DistanceReading(
    String source,
    Stamp stamp,
    ReadingStatus status,
    long counter,
    Optional<Instant> nodeTime,
    double value,
    String units)
    implements Reading {
  public DistanceReading {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nodeTime, "nodeTime");
    Objects.requireNonNull(units, "units");
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          "distance " + value + " is not a finite non-negative number");
    }
  }
}
