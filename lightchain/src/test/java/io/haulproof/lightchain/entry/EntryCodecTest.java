package io.haulproof.lightchain.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborInt;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EntryCodecTest {
  static Stream<EntryBody> bodies() {
    return SampleEntries.allKinds().stream();
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void encode_everyKind_roundTrips(EntryBody body) {
    // given
    Entry entry = new Entry(SampleEntries.header(12), body);

    // when
    Bytes payload = EntryCodec.encode(entry);
    Entry decoded = EntryCodec.decode(payload);

    // then
    assertThat(decoded).isEqualTo(entry);
    assertThat(decoded.kind()).isEqualTo(body.kind());
    assertThat(EntryCodec.encode(decoded)).isEqualTo(payload);
  }

  @Test
  void sign_realisticCollection_coseUnder300Bytes() {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Entry entry = new Entry(SampleEntries.header(1_234_567), SampleEntries.collection());

    // when
    CoseSign1 cose = EntryCodec.sign(key, entry);

    // then
    assertThat(cose.encoded().length()).isLessThan(300);
    cose.verify(key.publicKey());
    assertThat(EntryCodec.decode(CoseSign1.decode(cose.encoded()))).isEqualTo(entry);
  }

  @Test
  void decode_unknownTopLevelKey_rejected() {
    // given
    CborMap payload =
        (CborMap)
            Cbor.decode(
                EntryCodec.encode(new Entry(SampleEntries.header(1), SampleEntries.collection())));
    Map<CborValue, CborValue> extra = new LinkedHashMap<>(payload.entries());
    extra.put(new CborInt(99), new CborInt(1));

    // when / then
    assertThatThrownBy(() -> EntryCodec.decode(Cbor.encode(new CborMap(extra))))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("unknown key 99");
  }

  @Test
  void decode_seqZero_rejectedWithRange() {
    // given
    CborMap payload =
        (CborMap)
            Cbor.decode(
                EntryCodec.encode(new Entry(SampleEntries.header(1), SampleEntries.collection())));
    Map<CborValue, CborValue> bad = new LinkedHashMap<>(payload.entries());
    bad.put(new CborInt(4), new CborInt(0));

    // when / then
    assertThatThrownBy(() -> EntryCodec.decode(Cbor.encode(new CborMap(bad))))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("key 4: value 0 out of range");
  }

  @Test
  void decode_exceptionCodeWithoutExceptionOutcome_rejected() {
    // given: an EMPTIED collection with an exception code added
    CborMap payload =
        (CborMap)
            Cbor.decode(
                EntryCodec.encode(new Entry(SampleEntries.header(1), SampleEntries.collection())));
    CborMap body = (CborMap) payload.get(9);
    Map<CborValue, CborValue> badBody = new LinkedHashMap<>(body.entries());
    badBody.put(new CborInt(8), new CborInt(ExceptionCode.CONTAMINATED.code()));
    Map<CborValue, CborValue> bad = new LinkedHashMap<>(payload.entries());
    bad.put(new CborInt(9), new CborMap(badBody));

    // when / then
    assertThatThrownBy(() -> EntryCodec.decode(Cbor.encode(new CborMap(bad))))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("exception code");
  }

  @Test
  void decode_wrongVersion_rejected() {
    // given
    CborMap payload =
        (CborMap)
            Cbor.decode(
                EntryCodec.encode(new Entry(SampleEntries.header(1), SampleEntries.collection())));
    Map<CborValue, CborValue> bad = new LinkedHashMap<>(payload.entries());
    bad.put(new CborInt(0), new CborInt(2));

    // when / then
    assertThatThrownBy(() -> EntryCodec.decode(Cbor.encode(new CborMap(bad))))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("unsupported version 2, want 1");
  }

  @Test
  void entryKind_labels_matchContract() {
    assertThat(Stream.of(EntryKind.values()).map(Enum::name))
        .containsExactly("collection", "reading", "config", "key", "loss", "receipt");
  }
}
