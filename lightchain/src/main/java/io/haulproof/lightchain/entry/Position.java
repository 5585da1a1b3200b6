package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborEncodable;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;

/**
 * A GNSS position with its quality; coordinates are scaled integers (1e-7 degree, as u-blox reports
 * them) so that encoding is exact and deterministic.
 *
 * @param latE7 latitude in 1e-7 degrees, north positive
 * @param lonE7 longitude in 1e-7 degrees, east positive
 * @param hdopCenti horizontal dilution of precision times 100
 * @param fix the fix mode
 * @param satellites satellites used in the fix
 */
public record Position(int latE7, int lonE7, int hdopCenti, FixMode fix, int satellites)
    implements CborEncodable {
  public Position {
    Objects.requireNonNull(fix, "fix");
    if (latE7 < -900_000_000 || latE7 > 900_000_000) {
      throw new IllegalArgumentException("latitude " + latE7 + "e-7, want within ±90°");
    }
    if (lonE7 < -1_800_000_000 || lonE7 > 1_800_000_000) {
      throw new IllegalArgumentException("longitude " + lonE7 + "e-7, want within ±180°");
    }
    if (hdopCenti < 0 || satellites < 0 || satellites > 255) {
      throw new IllegalArgumentException(
          "hdop " + hdopCenti + "/100 or satellites " + satellites + " out of range");
    }
  }

  /** A position from degrees, rounded to 1e-7 degree. */
  public static Position ofDegrees(
      double lat, double lon, double hdop, FixMode fix, int satellites) {
    return new Position(
        (int) Math.round(lat * 1e7),
        (int) Math.round(lon * 1e7),
        (int) Math.round(hdop * 100),
        fix,
        satellites);
  }

  public double latitude() {
    return latE7 / 1e7;
  }

  public double longitude() {
    return lonE7 / 1e7;
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, latE7)
        .put(2, lonE7)
        .put(3, hdopCenti)
        .put(4, fix.code())
        .put(5, satellites)
        .build();
  }

  static Position read(MapReader r) {
    return new Position(
        r.requireInt(1, -900_000_000, 900_000_000),
        r.requireInt(2, -1_800_000_000, 1_800_000_000),
        r.requireInt(3, 0, Integer.MAX_VALUE),
        FixMode.fromCode(r.requireLong(4)),
        r.requireInt(5, 0, 255));
  }
}
