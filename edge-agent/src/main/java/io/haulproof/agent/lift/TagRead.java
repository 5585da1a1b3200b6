package io.haulproof.agent.lift;

import java.util.Objects;

/**
 * A debounced RFID read of a bin at a lifter.
 *
 * @param rawHex the id as read (64-bit FDX-B code or EPC), hex
 * @param containerId the decoded id (country or manufacturer code and serial), as the allow-list
 *     keys it
 * @param technology tag technology
 * @param readCount how many raw reads the debouncer merged
 * @param rssi signal strength in dBm, null when the reader does not report it
 * @param lifterId id of the lifter whose antenna read it
 * @param side which lifter
 * @param atNanos monotonic time of the first read
 */
public record TagRead(
    String rawHex,
    String containerId,
    TagTechnology technology,
    int readCount,
    Integer rssi,
    String lifterId,
    LifterSide side,
    long atNanos) {
  public TagRead {
    Objects.requireNonNull(rawHex, "rawHex");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(technology, "technology");
    Objects.requireNonNull(lifterId, "lifterId");
    Objects.requireNonNull(side, "side");
    if (readCount < 1) {
      throw new IllegalArgumentException("readCount must be at least 1, got " + readCount);
    }
  }

  /** This read merged with a repeat read of the same tag. */
  TagRead mergedWith(TagRead repeat) {
    Integer best = rssi;
    if (best == null || (repeat.rssi != null && repeat.rssi > best)) {
      best = repeat.rssi;
    }
    return new TagRead(
        rawHex,
        containerId,
        technology,
        readCount + repeat.readCount,
        best,
        lifterId,
        side,
        atNanos);
  }
}
