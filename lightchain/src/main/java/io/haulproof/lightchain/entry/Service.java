package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborEncodable;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;

/**
 * What the allow-list says about the container: waste fraction and volume, the basis of the fee.
 *
 * @param fraction the waste fraction as named in the allow-list, e.g. "residual", "bio", "paper"
 * @param volumeLitres the container volume in litres
 */
public record Service(String fraction, int volumeLitres) implements CborEncodable {
  public Service {
    Objects.requireNonNull(fraction, "fraction");
    if (fraction.isEmpty() || volumeLitres < 0) {
      throw new IllegalArgumentException(
          "fraction \"" + fraction + "\" or volume " + volumeLitres + " L invalid");
    }
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder().put(1, fraction).put(2, volumeLitres).build();
  }

  static Service read(MapReader r) {
    return new Service(r.requireText(1), r.requireInt(2, 0, Integer.MAX_VALUE));
  }
}
