package io.haulproof.lightchain.entry;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.Mutator;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutation tests of the entry payload decoder: every mutation of a valid payload is rejected with
 * {@link CborException} or decodes to an entry that re-encodes to exactly the mutated bytes
 * (nothing is dropped or normalised). No other exception escapes.
 */
class EntryCodecFuzzTest {
  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mutatedPayload_decode_rejectsOrRoundTripsExactly(long seed) {
    // given
    Random random = new Random(seed);
    Mutator mutator = new Mutator(random);
    List<EntryBody> bodies = SampleEntries.allKinds();
    int rejected = 0;
    int total = 0;

    for (EntryBody body : bodies) {
      byte[] valid =
          EntryCodec.encode(new Entry(SampleEntries.header(1 + random.nextInt(1_000_000)), body))
              .toByteArray();
      for (int i = 0; i < 60; i++) {
        byte[] mutated = mutator.mutate(valid);
        total++;
        // when
        try {
          Entry e = EntryCodec.decode(Bytes.wrap(mutated));
          // then
          assertThat(EntryCodec.encode(e)).isEqualTo(Bytes.wrap(mutated));
        } catch (CborException e) {
          rejected++;
          assertThat(e.getMessage()).isNotBlank();
        }
      }
    }
    assertThat(rejected).as("rejections of %d mutations", total).isPositive();
  }
}
