package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.WeightReading;

/** Receives weight readings from a scale protocol. */
@FunctionalInterface
public interface WeightSink {
  void accept(WeightReading reading);
}
