package io.haulproof.lightchain.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborTest {

  /** RFC 8949 Appendix A examples within the supported subset: value diagnostic → hex. */
  @ParameterizedTest
  @CsvSource({
    "0, 00",
    "1, 01",
    "10, 0a",
    "23, 17",
    "24, 1818",
    "25, 1819",
    "100, 1864",
    "1000, 1903e8",
    "1000000, 1a000f4240",
    "1000000000000, 1b000000e8d4a51000",
    "9223372036854775807, 1b7fffffffffffffff",
    "-1, 20",
    "-10, 29",
    "-100, 3863",
    "-1000, 3903e7",
    "-9223372036854775808, 3b7fffffffffffffff"
  })
  void encode_integers_matchRfc8949AppendixA(long value, String hex) {
    assertThat(Cbor.encode(new CborInt(value)).toHex()).isEqualTo(hex);
    assertThat(Cbor.decode(Bytes.fromHex(hex))).isEqualTo(new CborInt(value));
  }

  @Test
  void encode_stringsArraysMaps_matchRfc8949AppendixA() {
    assertThat(Cbor.encode(new CborBytes(Bytes.fromHex("01020304"))).toHex())
        .isEqualTo("4401020304");
    assertThat(Cbor.encode(new CborText("IETF")).toHex()).isEqualTo("6449455446");
    assertThat(Cbor.encode(new CborText("\u00fc")).toHex()).isEqualTo("62c3bc");
    assertThat(Cbor.encode(new CborText("\ud800\udd51")).toHex()).isEqualTo("64f0908591");
    assertThat(
            Cbor.encode(CborArray.of(new CborInt(1), CborArray.of(new CborInt(2), new CborInt(3))))
                .toHex())
        .isEqualTo("8201820203");
    assertThat(Cbor.encode(CborMap.builder().put(1, 2).put(3, 4).build()).toHex())
        .isEqualTo("a201020304");
    assertThat(Cbor.encode(CborSimple.TRUE).toHex()).isEqualTo("f5");
    assertThat(Cbor.encode(CborSimple.NULL).toHex()).isEqualTo("f6");
    assertThat(Cbor.encode(new CborTag(18, CborArray.of())).toHex()).isEqualTo("d280");
  }

  @Test
  void encode_mapKeysInsertedUnsorted_writtenSortedBytewise() {
    // given: keys whose encodings sort as 0a < 18 64 < 20 < 61 61 (RFC 8949 §4.2.1)
    Map<CborValue, CborValue> m = new LinkedHashMap<>();
    m.put(new CborText("a"), new CborInt(1));
    m.put(new CborInt(-1), new CborInt(2));
    m.put(new CborInt(100), new CborInt(3));
    m.put(new CborInt(10), new CborInt(4));

    // when
    Bytes encoded = Cbor.encode(new CborMap(m));

    // then
    assertThat(encoded.toHex()).isEqualTo("a40a04186403200261610" + "1");
    assertThat(Cbor.decode(encoded)).isEqualTo(new CborMap(m));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "non-shortest int, 1817, non-shortest",
    "non-shortest 2-byte int, 190017, non-shortest",
    "non-shortest 4-byte int, 1a0000ffff, non-shortest",
    "non-shortest 8-byte int, 1b00000000ffffffff, non-shortest",
    "non-shortest length, 580101, non-shortest",
    "indefinite bytes, 5f4101ff, indefinite",
    "indefinite array, 9f01ff, indefinite",
    "indefinite map, bf0102ff, indefinite",
    "unsorted keys, a202010101, deterministic order",
    "duplicate keys, a201010102, duplicate",
    "trailing bytes, 0101, trailing",
    "truncated head, 19, truncated",
    "bytes beyond input, 4501, declares 5",
    "huge array, 9b7fffffffffffffff, declares",
    "huge map, bb7fffffffffffffff, declares",
    "float16, f93c00, floating-point",
    "float64, fb3ff0000000000000, floating-point",
    "undefined, f7, simple value",
    "break alone, ff, break",
    "reserved ai, 1c, reserved",
    "uint over long, 1b8000000000000000, exceeds",
    "nint over long, 3b8000000000000000, exceeds",
    "invalid utf8, 61ff, UTF-8",
    "empty, '', empty"
  })
  void decode_nonCanonicalOrMalformed_rejected(String name, String hex, String message) {
    assertThatThrownBy(() -> Cbor.decode(Bytes.fromHex(hex)))
        .isInstanceOf(CborException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decode_nestingBeyondLimit_rejected() {
    // given: 17 nested arrays, limit 16
    Bytes deep = Bytes.fromHex("81".repeat(16) + "80");
    Bytes ok = Bytes.fromHex("81".repeat(15) + "80");

    // when / then
    assertThat(Cbor.decode(ok)).isInstanceOf(CborArray.class);
    assertThatThrownBy(() -> Cbor.decode(deep))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("nesting");
  }

  @Test
  void decode_inputOverSizeLimit_rejected() {
    // given
    CborLimits limits = new CborLimits(10, 4);
    Bytes big = Cbor.encode(new CborBytes(Bytes.wrap(new byte[10])));

    // when / then
    assertThatThrownBy(() -> Cbor.decode(big, limits))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("input of 11 bytes exceeds the limit of 10");
  }

  @Test
  void mapReader_unknownKeyAfterReading_rejectedByEnd() {
    // given
    CborMap m = CborMap.builder().put(1, "a").put(2, 5).build();
    MapReader r = MapReader.of(m, "thing");

    // when
    String a = r.requireText(1);

    // then
    assertThat(a).isEqualTo("a");
    assertThatThrownBy(r::end).isInstanceOf(CborException.class).hasMessage("thing: unknown key 2");
  }

  @Test
  void mapReader_wrongType_namesFieldAndTypes() {
    CborMap m = CborMap.builder().put(1, "a").build();
    assertThatThrownBy(() -> MapReader.of(m, "thing").requireLong(1))
        .isInstanceOf(CborException.class)
        .hasMessage("thing: key 1: want int, got text");
  }

  @Test
  void roundTrip_nestedValue_identical() {
    CborValue v =
        CborMap.builder()
            .put(1, new CborArray(List.of(new CborInt(-5), CborSimple.FALSE, CborSimple.NULL)))
            .put(2, Bytes.fromHex("00ff"))
            .put(-3, new CborTag(1, new CborInt(1_700_000_000L)))
            .build();
    assertThat(Cbor.decode(Cbor.encode(v))).isEqualTo(v);
  }
}
