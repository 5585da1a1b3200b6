package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.FixMode;
import java.time.Instant;

/**
 * The latest GNSS position and time, as assembled from RMC/GGA/GSA.
 *
 * @param valid the receiver reports a valid fix (RMC status A and GGA quality above 0)
 * @param lat latitude in degrees, NaN when unknown
 * @param lon longitude in degrees, NaN when unknown
 * @param hdop horizontal dilution of precision, null when unknown
 * @param fixMode the fix mode (GSA or gpsd), null when the receiver did not say
 * @param satellites satellites used, -1 when unknown
 * @param utc GNSS time of the fix, null when the receiver gave none
 * @param atNanos monotonic time the fix was received
 */
public record GnssFix(
    boolean valid,
    double lat,
    double lon,
    Double hdop,
    FixMode fixMode,
    int satellites,
    Instant utc,
    long atNanos) {
  public GnssFix {
    if (!Double.isNaN(lat) && (lat < -90 || lat > 90)) {
      throw new IllegalArgumentException("lat out of range: " + lat);
    }
    if (!Double.isNaN(lon) && (lon < -180 || lon > 180)) {
      throw new IllegalArgumentException("lon out of range: " + lon);
    }
  }

  boolean hasPosition() {
    return !Double.isNaN(lat) && !Double.isNaN(lon);
  }
}
