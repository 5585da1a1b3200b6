package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;
import java.util.Optional;

/**
 * A management change as applied: configuration or scale calibration (WELMEC 7.2 parameter audit
 * trail).
 *
 * @param version the configuration version after the change, increasing
 * @param section what changed, e.g. "config", "calibration", "allow-list"
 * @param content the applied configuration or calibration document, bytes as applied
 * @param previous SHA-256 of the previous content of this section, absent for the first
 * @param request the signed management request (COSE_Sign1) that caused the change, as received;
 *     absent for local changes such as the initial configuration
 */
public record ConfigBody(
    long version, String section, Bytes content, Optional<Hash> previous, Optional<Bytes> request)
    implements EntryBody {
  public ConfigBody {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(request, "request");
    if (version < 0 || section.isEmpty()) {
      throw new IllegalArgumentException(
          "config version " + version + " or section \"" + section + "\" invalid");
    }
  }

  @Override
  public EntryKind kind() {
    return EntryKind.config;
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, version)
        .put(2, section)
        .put(3, content)
        .opt(4, previous.map(Hash::toBytes))
        .opt(5, request)
        .build();
  }

  static ConfigBody read(MapReader r) {
    return new ConfigBody(
        r.requireLong(1, 0, Long.MAX_VALUE),
        r.requireText(2),
        r.requireBytes(3),
        r.optBytes(4).map(b -> Hash.of(b.toByteArray())),
        r.optBytes(5));
  }
}
