package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborEncodable;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The container tag as read at a lift (ISO 11784/11785, DIN 30745, EN 14803; DOMAIN.md §2).
 *
 * @param rawId the tag code exactly as read (8 bytes for FDX-B/HDX, the EPC for UHF), 1 to 64 bytes
 * @param technology the air interface
 * @param code the decoded 10-bit country or manufacturer code, if the layout is known
 * @param serial the decoded national id or container number, if the layout is known
 * @param readCount how many times the tag was read during the lift window, at least 1
 * @param rssiDbm the best received signal strength in dBm, if the reader reports it
 * @param antenna the reader antenna that read the tag, if the reader reports it
 */
public record ContainerRead(
    Bytes rawId,
    TagTechnology technology,
    OptionalInt code,
    OptionalLong serial,
    int readCount,
    OptionalInt rssiDbm,
    OptionalInt antenna)
    implements CborEncodable {
  public ContainerRead {
    Objects.requireNonNull(rawId, "rawId");
    Objects.requireNonNull(technology, "technology");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(rssiDbm, "rssiDbm");
    Objects.requireNonNull(antenna, "antenna");
    if (rawId.isEmpty() || rawId.length() > 64) {
      throw new IllegalArgumentException("raw tag id of " + rawId.length() + " bytes, want 1..64");
    }
    if (code.isPresent() && (code.getAsInt() < 0 || code.getAsInt() > 1023)) {
      throw new IllegalArgumentException(
          "tag code " + code.getAsInt() + ", want 0..1023 (10 bits)");
    }
    if (serial.isPresent() && serial.getAsLong() < 0) {
      throw new IllegalArgumentException("tag serial " + serial.getAsLong() + ", want >= 0");
    }
    if (readCount < 1) {
      throw new IllegalArgumentException("read count " + readCount + ", want >= 1");
    }
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, rawId)
        .put(2, technology.code())
        .opt(3, code)
        .opt(4, serial)
        .put(5, readCount)
        .opt(6, rssiDbm)
        .opt(7, antenna)
        .build();
  }

  static ContainerRead read(MapReader r) {
    return new ContainerRead(
        r.requireBytes(1),
        TagTechnology.fromCode(r.requireLong(2)),
        r.optInt(3, 0, 1023),
        r.optLong(4, 0, Long.MAX_VALUE),
        r.requireInt(5, 1, Integer.MAX_VALUE),
        r.optInt(6, -200, 100),
        r.optInt(7, 0, 255));
  }
}
