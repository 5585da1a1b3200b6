package io.haulproof.authenticator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.verify.RootAccumulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CompactRangeTest {
  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 42L, 4711L);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void append_randomChunks_sameRootAsRfc9162Accumulator(long seed) {
    Random r = new Random(seed);
    RootAccumulator acc = new RootAccumulator();
    CompactRange range = CompactRange.empty();
    for (int chunk = 0; chunk < 30; chunk++) {
      List<Bytes> leaves = new ArrayList<>();
      for (int i = r.nextInt(20); i > 0; i--) {
        byte[] b = new byte[1 + r.nextInt(40)];
        r.nextBytes(b);
        leaves.add(Bytes.wrap(b));
        acc.append(CompactRange.leafHash(Bytes.wrap(b)).toByteArray());
      }
      range = range.append(leaves);
      assertThat(range.size()).isEqualTo(acc.size());
      assertThat(range.root()).isEqualTo(acc.root());
      assertThat(range.hashes()).hasSize(Long.bitCount(range.size()));
    }
  }
}
