package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.TagRead;

/** Receives decoded tag reads from a reader protocol. */
@FunctionalInterface
public interface TagSink {
  void accept(TagRead read);
}
