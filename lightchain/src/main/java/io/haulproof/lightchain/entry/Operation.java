package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborEncodable;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;
import java.util.Optional;

/**
 * The operational context of a lift: vehicle, lifter, route/tour and crew (DOMAIN.md §2).
 *
 * @param vehicleId the truck's fleet id
 * @param lifter which lifter lifted the container
 * @param routeId the route or tour id, if one is active
 * @param crewId the crew or driver id, if known
 */
public record Operation(
    String vehicleId, Lifter lifter, Optional<String> routeId, Optional<String> crewId)
    implements CborEncodable {
  public Operation {
    Objects.requireNonNull(vehicleId, "vehicleId");
    Objects.requireNonNull(lifter, "lifter");
    Objects.requireNonNull(routeId, "routeId");
    Objects.requireNonNull(crewId, "crewId");
    if (vehicleId.isEmpty()) {
      throw new IllegalArgumentException("empty vehicle id");
    }
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, vehicleId)
        .put(2, lifter.code())
        .opt(3, routeId)
        .opt(4, crewId)
        .build();
  }

  static Operation read(MapReader r) {
    return new Operation(
        r.requireText(1), Lifter.fromCode(r.requireLong(2)), r.optText(3), r.optText(4));
  }
}
