package io.haulproof.lightchain.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random and mutation tests of the CBOR codec: random values round-trip byte for byte, and
 * every mutation of a valid encoding is either rejected with {@link CborException} or is itself
 * canonical (re-encodes to the same bytes). No other exception may escape.
 */
class CborFuzzTest {
  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomValue_encodeDecode_roundTripsExactly(long seed) {
    RandomCbor gen = new RandomCbor(new Random(seed));
    for (int i = 0; i < 50; i++) {
      // given
      CborValue v = gen.value(4);

      // when
      Bytes encoded = Cbor.encode(v);
      CborValue decoded = Cbor.decode(encoded);

      // then
      assertThat(decoded).isEqualTo(v);
      assertThat(Cbor.encode(decoded)).isEqualTo(encoded);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mutatedEncoding_decode_rejectsOrAcceptsOnlyCanonical(long seed) {
    // given
    Random random = new Random(seed);
    RandomCbor gen = new RandomCbor(random);
    Mutator mutator = new Mutator(random);
    int rejected = 0;
    int total = 0;

    for (int i = 0; i < 40; i++) {
      byte[] valid = Cbor.encode(gen.value(4)).toByteArray();
      for (int m = 0; m < 25; m++) {
        byte[] mutated = mutator.mutate(valid);
        total++;
        // when
        try {
          CborValue v = Cbor.decode(Bytes.wrap(mutated));
          // then: accepted input is canonical
          assertThat(Cbor.encode(v)).isEqualTo(Bytes.wrap(mutated));
        } catch (CborException e) {
          rejected++;
          assertThat(e.getMessage()).isNotBlank();
        }
      }
    }
    assertThat(rejected).as("rejections of %d mutations", total).isPositive();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomBytes_decode_neverThrowsAnythingElse(long seed) {
    Random random = new Random(seed);
    int accepted = 0;
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[random.nextInt(64)];
      random.nextBytes(b);
      try {
        CborValue v = Cbor.decode(Bytes.wrap(b));
        assertThat(Cbor.encode(v)).isEqualTo(Bytes.wrap(b));
        accepted++;
      } catch (CborException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    assertThat(accepted).isLessThan(500);
  }
}
