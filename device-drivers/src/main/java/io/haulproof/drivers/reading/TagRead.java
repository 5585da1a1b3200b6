package io.haulproof.drivers.reading;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A bin tag read, possibly merged from several raw reads of the same tag by the debouncer.
 *
 * @param count how many raw reads were merged (1 for a single read)
 * @param rssi best signal strength seen, in the reader's unit (dBm for UHF), if the reader reports
 *     one
 * @param antenna antenna or lifter side, if the reader reports one
 */
public record TagRead(
    String source,
    Stamp stamp,
    ReadingStatus status,
    TagId tag,
    int count,
    OptionalInt rssi,
    Optional<String> antenna)
    implements Reading {
  public TagRead {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(rssi, "rssi");
    Objects.requireNonNull(antenna, "antenna");
    if (count < 1) {
      throw new IllegalArgumentException("count " + count + " < 1");
    }
  }

  /** A single raw read. */
  public static TagRead single(
      String source, Stamp stamp, TagId tag, OptionalInt rssi, Optional<String> antenna) {
    return new TagRead(source, stamp, ReadingStatus.VALID, tag, 1, rssi, antenna);
  }
}
