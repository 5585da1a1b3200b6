package io.haulproof.drivers.reading;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A smart bin's fill level, modelled on LwM2M/IPSO object 3435 "Filling level", as signed by the
 * node.
 *
 * @param source the node id
 * @param counter the node's strictly increasing message counter (replay protection)
 * @param nodeTime the node's own time, if it sent one
 * @param fillPercent actual fill percentage (0–100)
 * @param full container-full flag; @param empty container-empty flag
 * @param operations the node's operations counter, if sent
 */
public record FillLevelReading(
    String source,
    Stamp stamp,
    ReadingStatus status,
    long counter,
    Optional<Instant> nodeTime,
    OptionalDouble fillPercent,
    Optional<Boolean> full,
    Optional<Boolean> empty,
    Optional<Boolean> tilt,
    Optional<Boolean> fire,
    Optional<Boolean> coverOpen,
    OptionalLong operations)
    implements Reading {
  public FillLevelReading {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nodeTime, "nodeTime");
    Objects.requireNonNull(fillPercent, "fillPercent");
    Objects.requireNonNull(full, "full");
    Objects.requireNonNull(empty, "empty");
    Objects.requireNonNull(tilt, "tilt");
    Objects.requireNonNull(fire, "fire");
    Objects.requireNonNull(coverOpen, "coverOpen");
    Objects.requireNonNull(operations, "operations");
    if (fillPercent.isPresent()
        && !(fillPercent.getAsDouble() >= 0 && fillPercent.getAsDouble() <= 100)) {
      throw new IllegalArgumentException("fill " + fillPercent.getAsDouble() + "% outside 0..100");
    }
  }
}
