package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import java.util.Map;

/**
 * Encodes entries as the CBOR payload of their COSE_Sign1 envelope and decodes them strictly
 * (docs/formats.md).
 *
 * <p>Payload: {@code {0: version=1, 1: kind, 2: device id, 3: boot epoch, 4: seq, 5: wall time ms,
 * 6: time source, 7: time uncertainty ms, 8: uptime ms, 9: body}}. Decoding rejects
 * non-deterministic CBOR, unknown keys at any level, values out of range and inconsistent fields,
 * always with {@link CborException}.
 */
public final class EntryCodec {
  /** The payload format version, payload key 0. */
  public static final int VERSION = 1;

  private EntryCodec() {}

  public static Bytes encode(Entry entry) {
    EntryHeader h = entry.header();
    return Cbor.encode(
        CborMap.builder()
            .put(0, VERSION)
            .put(1, entry.kind().code())
            .put(2, h.deviceId())
            .put(3, h.bootEpoch())
            .put(4, h.seq())
            .put(5, h.wallTimeMillis())
            .put(6, h.timeSource().code())
            .put(7, h.timeUncertaintyMs())
            .put(8, h.uptimeMillis())
            .put(9, entry.body().toCbor())
            .build());
  }

  /** Encodes and signs {@code entry} with {@code key}. */
  public static CoseSign1 sign(DeviceKey key, Entry entry) {
    return CoseSign1.sign(key, encode(entry));
  }

  /**
   * Decodes a payload.
   *
   * @throws CborException if it is malformed, non-deterministic, has unknown keys or invalid values
   */
  public static Entry decode(Bytes payload) {
    return decode(Cbor.decode(payload));
  }

  /** Decodes the payload of {@code message}; does not verify the signature. */
  public static Entry decode(CoseSign1 message) {
    return decode(message.payload());
  }

  private static final Map<EntryKind, java.util.function.Function<MapReader, EntryBody>> BODIES =
      Map.of(
          EntryKind.collection, CollectionBody::read,
          EntryKind.reading, ReadingBody::read,
          EntryKind.config, ConfigBody::read,
          EntryKind.key, KeyBody::read,
          EntryKind.loss, LossBody::read,
          EntryKind.receipt, ReceiptBody::read);

  private static Entry decode(CborValue value) {
    try {
      MapReader r = MapReader.of(value, "entry");
      long version = r.requireLong(0);
      if (version != VERSION) {
        throw new CborException("entry: unsupported version " + version + ", want " + VERSION);
      }
      EntryKind kind = EntryKind.fromCode(r.requireLong(1));
      EntryHeader header =
          new EntryHeader(
              r.requireText(2),
              r.requireLong(3, 0, Long.MAX_VALUE),
              r.requireLong(4, 1, Long.MAX_VALUE),
              r.requireLong(5),
              TimeSource.fromCode(r.requireLong(6)),
              r.requireInt(7, 0, Integer.MAX_VALUE),
              r.requireLong(8, 0, Long.MAX_VALUE));
      EntryBody body = r.requireMap(9, kind.name(), BODIES.get(kind));
      r.end();
      return new Entry(header, body);
    } catch (IllegalArgumentException e) {
      throw new CborException("entry: " + e.getMessage(), e);
    }
  }
}
