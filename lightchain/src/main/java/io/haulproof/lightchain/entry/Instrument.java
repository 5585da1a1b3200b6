package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborEncodable;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which weighing instrument made a weighing, and in which parameter state (WELMEC 7.2 / OIML D 31
 * audit trail).
 *
 * <p>The full identity (type-approval number, software id, calibration date, Min/Max/e) changes
 * rarely, so it is logged as a {@code config} entry of section {@code "instrument"} whenever it
 * changes, not repeated in every collection (that keeps a collection entry under 300 bytes). The
 * serial and the indicator's event counter name that state: the counter increments on every legally
 * relevant parameter change.
 *
 * @param serial the instrument's serial number
 * @param eventCounter the indicator's event counter value, if it has one
 */
public record Instrument(String serial, OptionalLong eventCounter) implements CborEncodable {
  public Instrument {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(eventCounter, "eventCounter");
    if (serial.isEmpty()) {
      throw new IllegalArgumentException("empty instrument serial");
    }
    if (eventCounter.isPresent() && eventCounter.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "event counter " + eventCounter.getAsLong() + ", want >= 0");
    }
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder().put(1, serial).opt(2, eventCounter).build();
  }

  static Instrument read(MapReader r) {
    return new Instrument(r.requireText(1), r.optLong(2, 0, Long.MAX_VALUE));
  }
}
